package cx.wip.vm.backend.proxmox;

import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import javax.net.ssl.SSLContext;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import cx.wip.vm.docker.DockerHttp;
import cx.wip.vm.spi.BackendException;
import cx.wip.vm.spi.BootOutcome;
import cx.wip.vm.spi.DaemonEndpoint;
import cx.wip.vm.spi.HypervisorBackend;
import cx.wip.vm.spi.TenantSpec;

/** A VM per tenant on Proxmox VE; see the package documentation for the template and the network it expects. */
final class ProxmoxBackend implements HypervisorBackend {
    static final String TAG = "wip";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int CLONE_ATTEMPTS = 5;
    private static final Duration PING = Duration.ofSeconds(2);

    private final ProxmoxConfig config;
    private final ProxmoxApi api;
    private final Function<String, DockerHttp> docker;

    ProxmoxBackend(ProxmoxConfig config, ProxmoxApi api, Optional<SSLContext> dockerTls) {
        this.config = config;
        this.api = api;
        this.docker = address -> dockerTls.map(tls -> DockerHttp.tls(address, tls))
                .orElseGet(() -> DockerHttp.of(address));
    }

    @Override
    public BootOutcome ensureRunning(TenantSpec tenant) {
        long deadline = System.nanoTime() + config.bootTimeout().toNanos();
        Optional<ProxmoxVm> found = find(tenant.id());
        boolean booted = found.isEmpty();
        ProxmoxVm vm = found.orElseGet(() -> cloneFor(tenant, deadline));
        awaitUnlocked(vm, deadline);
        configure(vm, tenant, deadline);
        long diskBytes = ProxmoxDisk.grow(api, vm, config.disk(), tenant.diskBytes(), deadline);
        if (!"running".equals(current(vm).path("status").asText())) {
            api.awaitTask(vm.node(), api.post(vm.path() + "/status/start", Map.of()).asText(), deadline);
            booted = true;
        }
        String ip = guestAddress(vm, deadline);
        DaemonEndpoint endpoint = new DaemonEndpoint("tcp://" + ip + ":" + config.dockerPort(), ip,
                                                     config.dockerTls().isPresent());
        while (!answers(tenant.id(), endpoint)) {
            if (System.nanoTime() > deadline) {
                throw new BackendException("the Docker API of VM " + vm.vmid() + " (" + endpoint.dockerAddress()
                                           + ") did not answer within " + config.bootTimeout().toSeconds() + " s");
            }
            api.pause();
        }
        return new BootOutcome(endpoint, booted, diskBytes);
    }

    @Override
    public boolean answers(String tenantId, DaemonEndpoint endpoint) {
        return docker.apply(endpoint.dockerAddress()).ping(PING);
    }

    @Override
    public boolean hasRunningContainers(String tenantId) {
        Optional<ProxmoxVm> vm = find(tenantId).filter(found -> "running".equals(found.status()));
        if (vm.isEmpty()) {
            return false;
        }
        try {
            String ip = guestAddress(vm.get(), System.nanoTime() + PING.toNanos());
            DockerHttp.Response containers = docker.apply("tcp://" + ip + ":" + config.dockerPort())
                    .get("/containers/json", PING);
            return containers.status() != 200 || !JSON.readTree(containers.body()).isEmpty();
        } catch (IOException | BackendException e) {
            return true;
        }
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

    /** The VM's first non-loopback IPv4 address, once the guest agent answers. */
    private String guestAddress(ProxmoxVm vm, long deadline) {
        while (true) {
            try {
                api.post(vm.path() + "/agent/ping", Map.of());
                JsonNode interfaces = api.get(vm.path() + "/agent/network-get-interfaces").path("result");
                Optional<String> ip = StreamSupport.stream(interfaces.spliterator(), false)
                        .filter(nic -> !nic.path("name").asText().matches("lo|docker.*|br-.*|veth.*"))
                        .flatMap(nic -> StreamSupport.stream(nic.path("ip-addresses").spliterator(), false))
                        .filter(address -> "ipv4".equals(address.path("ip-address-type").asText()))
                        .map(address -> address.path("ip-address").asText())
                        .filter(address -> !address.startsWith("127.0.0."))
                        .findFirst();
                if (ip.isPresent()) {
                    return ip.get();
                }
            } catch (ProxmoxApi.ApiError notYet) {
                // "QEMU guest agent is not running" while the guest boots
            }
            if (System.nanoTime() > deadline) {
                throw new BackendException("the guest agent of VM " + vm.vmid() + " gave no IPv4 address in time");
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
