package cx.wip.vm.backend.local;

import java.nio.file.Path;

/**
 * Where one tenant's daemon keeps things, and the host names derived for it. They derive from the engine's name: the
 * tenant id for an engine booted for the tenant, or the name of the spare engine it was handed ({@link SparePool}).
 *
 * @param tenantId  tenant id (a spare not handed out yet: its engine name)
 * @param engine    the engine's name, which every path and host name below derives from
 * @param stateDir  runtime state: socket, pid file, exec root, address, log
 * @param dataRoot  dockerd data root (images, containers, volumes)
 * @param namespace network namespace name
 * @param hostVeth  host side of the veth pair (at most 15 characters)
 * @param cgroup    cgroup parent (relative to each controller's root) for the tenant's containers
 */
record TenantPaths(String tenantId, String engine, Path stateDir, Path dataRoot, String namespace, String hostVeth,
                   String cgroup) {
    /** The tenant's engine: the spare it was handed, if it was, else one named after the tenant. */
    static TenantPaths of(LocalConfig config, String tenantId) {
        return of(config, tenantId, SparePool.engineOf(config, tenantId).orElse(tenantId));
    }

    static TenantPaths of(LocalConfig config, String tenantId, String engine) {
        String prefix = config.namePrefix();
        String hash = Integer.toHexString((config.bridge() + "/" + engine).hashCode() & 0x7fffffff);
        return new TenantPaths(tenantId,
                               engine,
                               config.stateDir().resolve(engine),
                               config.dataDir().resolve(engine),
                               prefix + "-" + engine,
                               "wv" + hash,
                               prefix + "/" + engine);
    }

    /** Whether anything of an engine exists here (a tenant that has one never gets a spare). */
    boolean exists() {
        return java.nio.file.Files.exists(stateDir) || java.nio.file.Files.exists(dataRoot)
               || java.nio.file.Files.exists(diskImage());
    }

    Path socket() {
        return stateDir.resolve("docker.sock");
    }

    Path pidFile() {
        return stateDir.resolve("docker.pid");
    }

    Path execRoot() {
        return stateDir.resolve("exec");
    }

    Path addressFile() {
        return stateDir.resolve("address");
    }

    Path daemonJson() {
        return stateDir.resolve("daemon.json");
    }

    Path log() {
        return stateDir.resolve("dockerd.log");
    }

    /** The ext4 image holding the data root (beside it, not in it). */
    Path diskImage() {
        return dataRoot.resolveSibling(engine + ".ext4");
    }

    Path seededMarker() {
        return dataRoot.resolve(".wip-seeded");
    }

    Path namespaceFile() {
        return Path.of("/run/netns", namespace);
    }

    String dockerAddress() {
        return "unix://" + socket().toAbsolutePath();
    }
}
