package cx.wip.vm.backend.local;

import java.nio.file.Path;

/**
 * Where one tenant's daemon keeps things, and the host names derived for it.
 *
 * @param tenantId  tenant id
 * @param stateDir  runtime state: socket, pid file, exec root, address, log
 * @param dataRoot  dockerd data root (images, containers, volumes)
 * @param namespace network namespace name
 * @param hostVeth  host side of the veth pair (at most 15 characters)
 * @param cgroup    cgroup parent (relative to each controller's root) for the tenant's containers
 */
record TenantPaths(String tenantId, Path stateDir, Path dataRoot, String namespace, String hostVeth, String cgroup) {
    static TenantPaths of(LocalConfig config, String tenantId) {
        String prefix = config.namePrefix();
        String hash = Integer.toHexString((config.bridge() + "/" + tenantId).hashCode() & 0x7fffffff);
        return new TenantPaths(tenantId,
                               config.stateDir().resolve(tenantId),
                               config.dataDir().resolve(tenantId),
                               prefix + "-" + tenantId,
                               "wv" + hash,
                               prefix + "/" + tenantId);
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
        return dataRoot.resolveSibling(tenantId + ".ext4");
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
