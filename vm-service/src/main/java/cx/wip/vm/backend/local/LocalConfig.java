package cx.wip.vm.backend.local;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

import io.helidon.config.Config;

/**
 * Configuration of the local backend ({@code vm.backends.local}).
 *
 * @param stateDir           per-tenant runtime state: socket, pid file, exec root, address ({@code /run/wip/tenants})
 * @param dataDir            per-tenant data roots ({@code /var/lib/wip/tenants})
 * @param bridge             host bridge the tenants' veths join (at most 15 characters)
 * @param subnet             the bridge's IPv4 network; the host takes the first address, tenants the others
 * @param namePrefix         prefix of namespaces ({@code <prefix>-<tenant>}), cgroup parents and firewall chains
 * @param dockerd            the dockerd binary
 * @param readyTimeout       how long a starting dockerd may take to answer
 * @param shutdownTimeout    how long a stopping dockerd may take before its processes are killed
 * @param blockedNetworks    destinations tenant containers never reach (the platform's networks)
 * @param seedImages         host images loaded into every new tenant daemon (exported once from {@code hostDocker})
 * @param hostDocker         the host daemon that holds the seed images
 * @param insecureRegistries registries tenant daemons may use over plain HTTP
 * @param maxConcurrentBoots dockerds started at once (more wait their turn: a crowd of cold starts on few cores
 *                           finishes sooner one by one than all together)
 * @param containment        what keeps a tenant engine in, beyond its network namespace
 */
record LocalConfig(Path stateDir,
                   Path dataDir,
                   String bridge,
                   Subnet subnet,
                   String namePrefix,
                   String dockerd,
                   Duration readyTimeout,
                   Duration shutdownTimeout,
                   List<String> blockedNetworks,
                   List<String> seedImages,
                   String hostDocker,
                   List<String> insecureRegistries,
                   int maxConcurrentBoots,
                   ContainmentConfig containment) {
    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]*");

    LocalConfig {
        if (bridge.length() > 15 || !NAME.matcher(bridge).matches()) {
            throw new IllegalArgumentException("vm.backends.local.bridge must be an interface name (<= 15 chars): "
                                               + bridge);
        }
        if (maxConcurrentBoots < 1) {
            throw new IllegalArgumentException("vm.backends.local.max-concurrent-boots must be at least 1");
        }
        if (namePrefix.length() > 12 || !NAME.matcher(namePrefix).matches()) {
            throw new IllegalArgumentException("vm.backends.local.name-prefix must be <= 12 plain characters: "
                                               + namePrefix);
        }
    }

    static LocalConfig create(Config config) {
        return new LocalConfig(
                Path.of(config.get("state-dir").asString().orElse("/run/wip/tenants")),
                Path.of(config.get("data-dir").asString().orElse("/var/lib/wip/tenants")),
                config.get("bridge").asString().orElse("wipbr0"),
                Subnet.parse(config.get("subnet").asString().orElse("10.89.0.0/16")),
                config.get("name-prefix").asString().orElse("wip"),
                config.get("dockerd").asString().orElse("dockerd"),
                config.get("ready-timeout").as(Duration.class).orElse(Duration.ofSeconds(30)),
                config.get("shutdown-timeout").as(Duration.class).orElse(Duration.ofSeconds(5)),
                config.get("blocked-networks").asList(String.class).orElse(List.of(
                        "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "169.254.0.0/16")),
                config.get("seed.images").asList(String.class).orElse(List.of()),
                config.get("seed.host-docker").asString().orElse("unix:///var/run/docker.sock"),
                config.get("insecure-registries").asList(String.class).orElse(List.of()),
                config.get("max-concurrent-boots").asInt()
                        .orElse(Math.max(2, 2 * Runtime.getRuntime().availableProcessors())),
                ContainmentConfig.create(config.get("containment")));
    }
}
