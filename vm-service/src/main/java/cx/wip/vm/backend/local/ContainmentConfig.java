package cx.wip.vm.backend.local;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.helidon.config.Config;

/**
 * How a tenant engine is contained beyond its network namespace ({@code vm.backends.local.containment}).
 *
 * @param usernsRemap       run each engine with {@code --userns-remap} onto a subordinate id range of its own, so
 *                          root in a container is an unprivileged id on the host
 * @param subidBase         first subordinate id handed to tenants (slot n gets {@code base + n * 65536})
 * @param privateView       run each engine in a mount and pid namespace of its own where {@code hiddenPaths} (and
 *                          other tenants' state and data) are empty
 * @param hiddenPaths       host paths an engine never sees (directories become an empty tmpfs, files /dev/null)
 * @param alsoHidden        more of them, for a deployment's own secrets (bin/wip adds its state dir: CA, token key,
 *                          Redis data, admin token)
 * @param guard             refuse, in the engine itself, what would undo the containment ({@code --userns=host},
 *                          plug-in installs, swarm) through a docker authorization plug-in served by vm-service
 * @param wallsInterval     how often the firewall walls are re-asserted (rules first in their chains)
 * @param hostDockerPidFile the host dockerd's pid file: when it changes (the host daemon restarted and put its
 *                          chains first) the walls are re-asserted at once
 */
record ContainmentConfig(boolean usernsRemap,
                         long subidBase,
                         boolean privateView,
                         List<Path> hiddenPaths,
                         List<Path> alsoHidden,
                         boolean guard,
                         Duration wallsInterval,
                         Path hostDockerPidFile) {
    static final long RANGE = 65_536;

    static final List<String> DEFAULT_HIDDEN = List.of(
            "/root", "/home", "/run", "/tmp", "/var/tmp", "/dev/shm", "/dev/mqueue", "/var/lib/docker",
            "/var/lib/containerd", "/var/lib/redis", "/var/lib/wip", "/etc/wip", "/etc/shadow", "/etc/gshadow",
            "/etc/ssh");

    ContainmentConfig {
        if (subidBase < RANGE || subidBase + RANGE * 10_000 > 4_294_967_295L) {
            throw new IllegalArgumentException("vm.backends.local.containment.subid-base must leave room for "
                                               + "10000 ranges of 65536 below 2^32: " + subidBase);
        }
        if (wallsInterval.isNegative() || wallsInterval.isZero()) {
            throw new IllegalArgumentException("vm.backends.local.containment.walls-interval must be positive");
        }
        hiddenPaths = List.copyOf(hiddenPaths);
        alsoHidden = List.copyOf(alsoHidden);
    }

    static ContainmentConfig create(Config config) {
        return new ContainmentConfig(
                config.get("userns-remap").asBoolean().orElse(true),
                config.get("subid-base").asLong().orElse(1_000_000_000L),
                config.get("private-view").asBoolean().orElse(true),
                config.get("hidden-paths").asList(String.class).orElse(DEFAULT_HIDDEN).stream().map(Path::of).toList(),
                config.get("also-hidden").asList(String.class).orElse(List.of()).stream().map(Path::of).toList(),
                config.get("guard").asBoolean().orElse(true),
                config.get("walls-interval").as(Duration.class).orElse(Duration.ofSeconds(30)),
                Path.of(config.get("host-docker-pid-file").asString().orElse("/var/run/docker.pid")));
    }
}
