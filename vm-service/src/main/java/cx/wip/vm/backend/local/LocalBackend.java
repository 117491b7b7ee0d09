package cx.wip.vm.backend.local;

import cx.wip.vm.docker.EngineContainers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import cx.wip.docker.DockerEngine;
import cx.wip.vm.spi.BackendException;
import cx.wip.vm.spi.BootOutcome;
import cx.wip.vm.spi.DaemonEndpoint;
import cx.wip.vm.spi.HypervisorBackend;
import cx.wip.vm.spi.SpareEngines;
import cx.wip.vm.spi.TenantSpec;

/**
 * A dockerd per tenant in its own network namespace on this host; contained (see {@link ContainmentConfig}) in its
 * own user namespace range, its private view of the host and behind the engine guard.
 */
public final class LocalBackend implements HypervisorBackend {
    private static final Logger LOGGER = Logger.getLogger(LocalBackend.class.getName());
    private static final Duration FREEZE_SETTLE = Duration.ofSeconds(2);

    private final LocalConfig config;
    private final HostNetwork network;
    private final AddressPool addresses;
    private final TenantNamespace namespaces;
    private final TenantDaemon daemons;
    private final ImageSeeder seeder;
    private final Semaphore boots;
    private final SubordinateIds subordinateIds;
    private final EngineGuard guard;
    private final WallKeeper walls;
    private final SparePool spares;

    LocalBackend(LocalConfig config) {
        this.config = config;
        ContainmentConfig containment = config.containment();
        HostLock lock = new HostLock(config.stateDir().resolve(".host.lock"));
        this.network = new HostNetwork(config, lock);
        this.addresses = new AddressPool(config, lock);
        this.namespaces = new TenantNamespace(config);
        this.guard = containment.guard() && containment.privateView()
                     ? new EngineGuard(config.stateDir().resolve(".guard")) : null;
        this.daemons = new TenantDaemon(config, namespaces, guard);
        this.seeder = new ImageSeeder(config, lock, daemons, namespaces);
        this.boots = new Semaphore(config.maxConcurrentBoots(), true);
        // host-wide, not per configuration: /etc/subuid is one file for every vm-service on the host
        this.subordinateIds = containment.usernsRemap()
                              ? new SubordinateIds(containment, new HostLock(Path.of("/run/lock/wip-subids.lock")))
                              : null;
        network.ensure();
        if (guard != null) {
            guard.ensureServing();
        }
        this.walls = new WallKeeper(containment, network, guard);
        this.spares = new SparePool(config, new SparePool.Engines() {
            @Override
            public void boot(TenantSpec spec, TenantPaths engine) {
                bootAcquired(spec, engine);
            }

            @Override
            public boolean alive(TenantPaths engine) {
                return daemons.running(engine).isPresent() && daemons.answers(engine);
            }

            @Override
            public void delete(TenantPaths engine) {
                deleteEngine(engine);
            }
        });
    }

    @Override
    public BootOutcome ensureRunning(TenantSpec spec) {
        TenantPaths tenant = TenantPaths.of(config, spec.id());
        if (!tenant.exists()) {
            Optional<TenantPaths> spare = spares.claim(spec.id(), spec);
            if (spare.isPresent()) {
                TenantCgroup.apply(spare.get(), spec);
                return new BootOutcome(new DaemonEndpoint(spare.get().dockerAddress(),
                        addresses.addressOf(spare.get()), false), true, TenantDisk.size(spare.get()));
            }
        }
        String address = addresses.addressOf(tenant);
        DaemonEndpoint endpoint = new DaemonEndpoint(tenant.dockerAddress(), address, false);
        if (daemons.running(tenant).isPresent() && daemons.answers(tenant)) {
            TenantCgroup.apply(tenant, spec);
            return new BootOutcome(endpoint, false, TenantDisk.size(tenant));
        }
        return bootAcquired(spec, tenant);
    }

    /** Stops refilling the pool; engines (spares included) keep running, and a restarted vm-service adopts them. */
    @Override
    public void close() {
        spares.close();
    }

    @Override
    public Optional<SpareEngines> spares() {
        return Optional.of(spares);
    }

    /** Boots under the host's limit of concurrent boots. */
    private BootOutcome bootAcquired(TenantSpec spec, TenantPaths tenant) {
        DaemonEndpoint endpoint = new DaemonEndpoint(tenant.dockerAddress(), addresses.addressOf(tenant), false);
        try {
            boots.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BackendException("interrupted while waiting to boot " + spec.id());
        }
        try {
            return boot(spec, tenant, endpoint);
        } finally {
            boots.release();
        }
    }

    private BootOutcome boot(TenantSpec spec, TenantPaths tenant, DaemonEndpoint endpoint) {
        String address = endpoint.publicAddress();
        long started = System.nanoTime();
        daemons.kill(tenant);
        long network;
        long disk;
        long seeded;
        long diskBytes;
        try {
            namespaces.ensure(tenant, address);
            TenantCgroup.apply(tenant, spec);
            network = System.nanoTime();
            diskBytes = TenantDisk.mount(tenant, spec.diskBytes());
            disk = System.nanoTime();
            Optional<SubordinateIds.Range> remap = Optional.ofNullable(subordinateIds).map(ids -> ids.of(tenant));
            remap.ifPresent(range -> RemappedDataRoot.migrate(tenant, range));
            seeder.seed(tenant, remap);
            seeded = System.nanoTime();
            daemons.start(tenant, remap);
        } catch (BackendException e) {
            daemons.kill(tenant);
            throw e;
        }
        long daemon = System.nanoTime();
        LOGGER.info(() -> "started dockerd for %s at %s: namespace %d ms, disk %d ms, seed %d ms, dockerd %d ms"
                .formatted(spec.id(), address, (network - started) / 1_000_000, (disk - network) / 1_000_000,
                           (seeded - disk) / 1_000_000, (daemon - seeded) / 1_000_000));
        return new BootOutcome(endpoint, true, diskBytes);
    }

    @Override
    public boolean answers(String tenantId, DaemonEndpoint endpoint) {
        return daemons.answers(TenantPaths.of(config, tenantId));
    }

    @Override
    public boolean stillRuns(String tenantId) {
        return daemons.running(TenantPaths.of(config, tenantId)).isPresent();
    }

    @Override
    public List<String> runningContainers(String tenantId) {
        TenantPaths tenant = TenantPaths.of(config, tenantId);
        if (daemons.running(tenant).isEmpty()) {
            return List.of();
        }
        return EngineContainers.running(DockerEngine.of(tenant.dockerAddress(), Duration.ofSeconds(5)));
    }

    @Override
    public List<String> startContainers(String tenantId, List<String> containerIds) {
        TenantPaths tenant = TenantPaths.of(config, tenantId);
        return EngineContainers.start(DockerEngine.of(tenant.dockerAddress(), config.readyTimeout()), containerIds);
    }

    @Override
    public boolean freeze(String tenantId) {
        TenantPaths tenant = TenantPaths.of(config, tenantId);
        return daemons.running(tenant).isPresent() && TenantCgroup.freeze(tenant, FREEZE_SETTLE);
    }

    @Override
    public void thaw(String tenantId) {
        TenantCgroup.thaw(TenantPaths.of(config, tenantId));
    }

    /** Whether the tenant's containers are frozen now (for checks). */
    public boolean frozen(String tenantId) {
        return TenantCgroup.frozen(TenantPaths.of(config, tenantId));
    }

    @Override
    public void stop(String tenantId) {
        daemons.stop(TenantPaths.of(config, tenantId));
    }

    /** Everything goes, so no graceful shutdown: every process of the tenant is killed, then its things removed. */
    @Override
    public void delete(String tenantId) {
        deleteEngine(TenantPaths.of(config, tenantId));
        spares.forget(tenantId);
    }

    private void deleteEngine(TenantPaths tenant) {
        daemons.kill(tenant);
        namespaces.delete(tenant);
        TenantCgroup.remove(tenant);
        removeTree(tenant.dataRoot());
        TenantDisk.delete(tenant);
        removeTree(tenant.stateDir());
        if (subordinateIds != null) {
            subordinateIds.release(tenant);
        }
    }

    @Override
    public Set<String> tenants() {
        if (!Files.isDirectory(config.stateDir())) {
            return Set.of();
        }
        try (Stream<Path> dirs = Files.list(config.stateDir())) {
            // spares are nobody's; an engine handed to a tenant is listed under the tenant's id
            return Stream.concat(dirs.filter(dir -> Files.isRegularFile(dir.resolve("address")))
                                         .map(dir -> dir.getFileName().toString())
                                         .filter(name -> !SparePool.isSpare(name)),
                                 spares.owners().stream()
                                         .filter(owner -> Files.isRegularFile(TenantPaths.of(config, owner)
                                                                                      .addressFile())))
                    .collect(Collectors.toUnmodifiableSet());
        } catch (IOException e) {
            throw new BackendException("cannot list " + config.stateDir() + ": " + e.getMessage(), e);
        }
    }

    /** Deletes every tenant, then the bridge and the firewall rules (an operator's "uninstall"; tests' cleanup). */
    public void teardown() {
        spares.discard();
        try (ExecutorService deleting = Executors.newVirtualThreadPerTaskExecutor()) {
            tenants().forEach(tenant -> deleting.submit(() -> delete(tenant)));
        }
        walls.close();
        if (guard != null) {
            guard.close();
        }
        network.teardown();
        removeTree(config.stateDir());
        removeTree(config.dataDir());
    }

    /** The memory limit applied to the tenant's containers, -1 when none (for checks). */
    public long memoryLimit(String tenantId) {
        return TenantCgroup.memoryLimit(TenantPaths.of(config, tenantId));
    }

    /** The size of the tenant's disk image, 0 when its data root is not limited (for checks). */
    public long diskLimit(String tenantId) {
        return TenantDisk.size(TenantPaths.of(config, tenantId));
    }

    /** The user whose subordinate ids the tenant's engine is remapped onto, if any (for checks and operators). */
    public Optional<String> remappedUser(String tenantId) {
        return Optional.ofNullable(subordinateIds)
                .flatMap(ids -> ids.recorded(TenantPaths.of(config, tenantId)))
                .map(SubordinateIds.Range::user);
    }

    /** How often the walls were re-asserted since this backend started (for checks). */
    public long wallReassertions() {
        return walls.reassertions();
    }

    /** The tenant's network namespace name (for checks and operators). */
    public String namespaceOf(String tenantId) {
        return TenantPaths.of(config, tenantId).namespace();
    }

    private static void removeTree(Path root) {
        if (Files.exists(root)) {
            Mounts.unmountUnder(root);
            Commands.run("rm", "-rf", "--one-file-system", root.toString());
        }
    }
}
