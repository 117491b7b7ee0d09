package cx.wip.vm.backend.proxmox;

import java.util.List;
import cx.wip.vm.docker.EngineContainers;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;

import cx.wip.docker.DaemonAddress;
import cx.wip.docker.DaemonTransport;
import cx.wip.docker.DockerEngine;
import cx.wip.vm.spi.BackendException;
import cx.wip.vm.spi.BootOutcome;
import cx.wip.vm.spi.DaemonEndpoint;
import cx.wip.vm.spi.HypervisorBackend;
import cx.wip.vm.spi.TenantSpec;

/** A VM per tenant on Proxmox VE; see the package documentation for the template and the network it expects. */
final class ProxmoxBackend implements HypervisorBackend {
    static final String TAG = "wip";
    private static final int CLONE_ATTEMPTS = 5;
    private static final Duration PING = Duration.ofSeconds(2);

    private final ProxmoxConfig config;
    private final ProxmoxApi api;
    private final Function<String, DaemonTransport> docker;
    private final EngineIdentity identity;
    private final VmDaemon daemons;

    ProxmoxBackend(ProxmoxConfig config, ProxmoxApi api) {
        this.config = config;
        this.api = api;
        this.docker = address -> DaemonTransport.of(DaemonAddress.of(address, config.dockerTls().isPresent()),
                config.dockerTls(), PING);
        this.identity = new EngineIdentity(docker);
        this.daemons = new VmDaemon(api, config, identity);
    }

    @Override
    public BootOutcome ensureRunning(TenantSpec tenant) {
        long deadline = System.nanoTime() + config.bootTimeout().toNanos();
        Optional<ProxmoxVm> found = find(tenant.id());
        found.ifPresent(vm -> checkTagged(vm, tenant));
        boolean booted = found.isEmpty();
        ProxmoxVm vm = found.orElseGet(() -> cloneFor(tenant, deadline));
        awaitUnlocked(vm, deadline);
        configure(vm, tenant, deadline);
        long diskBytes = ProxmoxDisk.grow(api, vm, config.disk(), tenant.diskBytes(), deadline);
        if (!"running".equals(current(vm).path("status").asText())) {
            api.awaitTask(vm.node(), api.post(vm.path() + "/status/start", Map.of()).asText(), deadline);
            booted = true;
        }
        return new BootOutcome(daemons.await(vm, tenant, deadline), booted, diskBytes);
    }

    /** Only when the tenant's own engine answers there: the address may have gone to another tenant's VM. */
    @Override
    public boolean answers(String tenantId, DaemonEndpoint endpoint) {
        return identity.isTenants(tenantId, endpoint);
    }

    @Override
    public List<String> runningContainers(String tenantId) {
        return engine(tenantId).map(engine -> EngineContainers.running(new DockerEngine(engine, PING)))
                .orElse(List.of());
    }

    @Override
    public List<String> startContainers(String tenantId, List<String> containerIds) {
        return engine(tenantId)
                .map(engine -> EngineContainers.start(new DockerEngine(engine, config.bootTimeout()), containerIds))
                .orElse(List.of());
    }

    /** The Docker API of the tenant's running VM, if it runs. */
    private Optional<DaemonTransport> engine(String tenantId) {
        return find(tenantId).filter(found -> "running".equals(found.status()))
                .map(vm -> docker.apply(daemons.dockerAddress(daemons.guestAddress(vm,
                        System.nanoTime() + PING.toNanos()))));
    }

    @Override
    public void stop(String tenantId) {
        find(tenantId).filter(vm -> "running".equals(vm.status())).ifPresent(vm -> {
            long deadline = System.nanoTime() + config.bootTimeout().toNanos();
            try {
                api.awaitTask(vm.node(), api.post(vm.path() + "/status/shutdown", Map.of("timeout", "60")).asText(),
                              deadline);
            } catch (BackendException gracefulFailed) {
                api.awaitTask(vm.node(), api.post(vm.path() + "/status/stop", Map.of()).asText(), deadline);
            }
        });
    }

    @Override
    public void delete(String tenantId) {
        find(tenantId).ifPresent(vm -> {
            long deadline = System.nanoTime() + config.bootTimeout().toNanos();
            awaitUnlocked(vm, deadline);
            if ("running".equals(current(vm).path("status").asText())) {
                api.awaitTask(vm.node(), api.post(vm.path() + "/status/stop", Map.of()).asText(), deadline);
            }
            api.awaitTask(vm.node(), api.delete(vm.path() + "?purge=1&destroy-unreferenced-disks=1").asText(),
                          deadline);
        });
    }

    @Override
    public Set<String> tenants() {
        return ours().keySet();
    }

    private Optional<ProxmoxVm> find(String tenantId) {
        return Optional.ofNullable(ours().get(tenantId));
    }

    /** Our VMs (qemu, not templates, tagged, named with the prefix) by tenant id. */
    private Map<String, ProxmoxVm> ours() {
        Map<String, ProxmoxVm> vms = new LinkedHashMap<>();
        for (JsonNode resource : api.get("/cluster/resources?type=vm")) {
            String name = resource.path("name").asText("");
            boolean tagged = Set.of(resource.path("tags").asText("").split("[;,]")).contains(TAG);
            if ("qemu".equals(resource.path("type").asText()) && resource.path("template").asInt(0) == 0
                && tagged && name.startsWith(config.namePrefix())) {
                vms.put(name.substring(config.namePrefix().length()),
                        new ProxmoxVm(resource.path("node").asText(), resource.path("vmid").asInt(),
                                      resource.path("status").asText()));
            }
        }
        return vms;
    }

    /** Linked clone of the template under a fresh id; another cloner taking the same id is retried. */
    private ProxmoxVm cloneFor(TenantSpec tenant, long deadline) {
        BackendException last = null;
        for (int attempt = 0; attempt < CLONE_ATTEMPTS; attempt++) {
            int vmid = api.get("/cluster/nextid").asInt();
            Map<String, String> form = new LinkedHashMap<>(Map.of(
                    "newid", Integer.toString(vmid), "name", config.namePrefix() + tenant.id()));
            config.pool().ifPresent(pool -> form.put("pool", pool));
            try {
                String upid = api.post("/nodes/" + config.node() + "/qemu/" + config.templateVmid() + "/clone", form)
                        .asText();
                api.awaitTask(config.node(), upid, deadline);
                return new ProxmoxVm(config.node(), vmid, "stopped");
            } catch (ProxmoxApi.ApiError e) {
                if (!e.getMessage().contains("already exists")) {
                    throw e;
                }
                last = e;
            }
        }
        throw new BackendException("could not clone a VM for " + tenant.id() + " after " + CLONE_ATTEMPTS
                                   + " attempts: " + last.getMessage(), last);
    }

    /** Tags, memory and cores through the asynchronous config API (a task when it returns a UPID). */
    private void configure(ProxmoxVm vm, TenantSpec tenant, long deadline) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("tags", TAG + ";" + tag(tenant.id()));
        if (tenant.memoryBytes() > 0) {
            settings.put("memory", Long.toString(Math.max(512, tenant.memoryBytes() >> 20)));
        }
        if (tenant.cpus() > 0) {
            settings.put("cores", Integer.toString((int) Math.ceil(tenant.cpus())));
        }
        JsonNode task = api.post(vm.path() + "/config", settings);
        if (task.isTextual()) {
            api.awaitTask(vm.node(), task.asText(), deadline);
        }
    }

    /**
     * A VM found by its name is used only when it carries the tenant's tag too (read from the VMID itself, not the
     * cluster listing): the name alone could be given to another VM, and configure() would re-tag it as the tenant's.
     */
    private void checkTagged(ProxmoxVm vm, TenantSpec tenant) {
        String tags = api.get(vm.path() + "/config").path("tags").asText("");
        if (!Set.of(tags.split("[;, ]")).contains(tag(tenant.id()))) {
            throw new BackendException("VM " + vm.vmid() + " is named " + config.namePrefix() + tenant.id()
                                       + " but lacks the tag " + tag(tenant.id()) + " (tags: '" + tags
                                       + "'): not using it for tenant " + tenant.id());
        }
    }

    private JsonNode current(ProxmoxVm vm) {
        return api.get(vm.path() + "/status/current");
    }

    private void awaitUnlocked(ProxmoxVm vm, long deadline) {
        while (current(vm).hasNonNull("lock")) {
            if (System.nanoTime() > deadline) {
                throw new BackendException("VM " + vm.vmid() + " stayed locked (" + current(vm).path("lock").asText()
                                           + ")");
            }
            api.pause();
        }
    }

    /** A Proxmox tag naming the tenant: {@code [a-z0-9_][a-z0-9_\-+.]*}. */
    static String tag(String tenantId) {
        return "wip-t-" + tenantId.toLowerCase(Locale.ROOT).chars()
                .mapToObj(c -> Character.isLetterOrDigit(c) || c == '-' || c == '_' ? String.valueOf((char) c) : "_")
                .collect(Collectors.joining());
    }
}
