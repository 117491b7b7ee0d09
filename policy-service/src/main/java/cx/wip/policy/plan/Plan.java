package cx.wip.policy.plan;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import io.helidon.config.Config;

/**
 * What a plan allows: per-container limits (applied or clamped), tenant quotas, and allowlists.
 *
 * @param name               plan name, as tenants carry it
 * @param cpus               CPUs one container may use
 * @param memoryBytes        memory one container may use (swap is never added)
 * @param pids               processes one container may run
 * @param shmBytes           largest /dev/shm
 * @param tmpfsBytes         largest tmpfs mount
 * @param maxContainers      containers the tenant may have
 * @param totalMemoryBytes   memory all the tenant's containers may reserve together
 * @param capabilities       capabilities that may be added (upper case, without CAP_)
 * @param sysctls            sysctls that may be set
 * @param runtimes           OCI runtimes that may be chosen
 * @param logDrivers         log drivers that may be chosen (remote ones would let a container reach any host)
 * @param registries         registries images may be pulled from; {@code *} allows every registry
 * @param ulimits            ulimit name → largest soft and hard value
 * @param restartPolicies    restart policy names allowed
 * @param restartFallback    what a refused restart policy becomes
 * @param maxRestartRetries  largest on-failure retry count; 0 (the default) leaves the count as the client asks —
 *                           a restarting container costs only its own engine, and "always" has no count at all
 * @param reservedLabels     label prefixes reserved by the platform, stripped from tenant input
 * @param engine             the tenant's engine: the hard cap of all its containers together
 */
public record Plan(String name, double cpus, long memoryBytes, long pids, long shmBytes, long tmpfsBytes,
                   int maxContainers, long totalMemoryBytes, Set<String> capabilities, Set<String> sysctls,
                   Set<String> runtimes, Set<String> logDrivers, List<String> registries, Map<String, Long> ulimits,
                   Set<String> restartPolicies, String restartFallback, int maxRestartRetries,
                   List<String> reservedLabels, Engine engine) {

    /** Docker's default capability set: adding one of these back is harmless. */
    static final List<String> DEFAULT_CAPABILITIES = List.of("AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER",
            "FSETID", "KILL", "MKNOD", "NET_BIND_SERVICE", "NET_RAW", "SETFCAP", "SETGID", "SETPCAP", "SETUID",
            "SYS_CHROOT");

    public Plan {
        if (cpus <= 0 || memoryBytes <= 0 || pids <= 0 || shmBytes <= 0 || tmpfsBytes <= 0 || maxContainers <= 0
                || totalMemoryBytes < memoryBytes) {
            throw new IllegalArgumentException("plan " + name + ": limits must be positive and total-memory at least"
                    + " memory");
        }
        if (memoryBytes > engine.memoryBytes() || totalMemoryBytes > engine.memoryBytes() || cpus > engine.cpus()) {
            throw new IllegalArgumentException("plan " + name + ": containers may not have more than the engine they "
                    + "run in — memory " + bytes(memoryBytes) + " and total-memory " + bytes(totalMemoryBytes)
                    + " must be at most the engine's " + bytes(engine.memoryBytes()) + ", cpus " + cpus
                    + " at most the engine's " + engine.cpus());
        }
        if (!restartPolicies.contains(restartFallback)) {
            throw new IllegalArgumentException("plan " + name + ": restart-fallback must be one of restart-policies");
        }
        capabilities = capabilities.stream().map(c -> c.toUpperCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
        sysctls = Set.copyOf(sysctls);
        runtimes = Set.copyOf(runtimes);
        logDrivers = Set.copyOf(logDrivers);
        registries = List.copyOf(registries);
        ulimits = Map.copyOf(ulimits);
        restartPolicies = Set.copyOf(restartPolicies);
        reservedLabels = List.copyOf(reservedLabels);
    }

    /** Reads one plan from its config node (the node's name is the plan's name). Defaults suit a small plan. */
    public static Plan create(Config config) {
        return new Plan(config.name(),
                config.get("cpus").asDouble().orElse(1.0),
                size(config.get("memory"), "512m"),
                config.get("pids").asLong().orElse(256L),
                size(config.get("shm"), "64m"),
                size(config.get("tmpfs"), "64m"),
                config.get("max-containers").asInt().orElse(10),
                size(config.get("total-memory"), "2g"),
                Set.copyOf(config.get("capabilities").asList(String.class).orElse(DEFAULT_CAPABILITIES)),
                Set.copyOf(config.get("sysctls").asList(String.class).orElse(List.of("net.core.somaxconn",
                        "net.ipv4.ip_unprivileged_port_start", "net.ipv4.ping_group_range"))),
                Set.copyOf(config.get("runtimes").asList(String.class).orElse(List.of("runc"))),
                Set.copyOf(config.get("log-drivers").asList(String.class).orElse(List.of("json-file", "local",
                        "none"))),
                config.get("registries").asList(String.class).orElse(List.of("*")),
                config.get("ulimits").detach().asMap().orElse(Map.of("nofile", "65536", "nproc", "4096"))
                        .entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey,
                                e -> Long.parseLong(e.getValue()))),
                Set.copyOf(config.get("restart-policies").asList(String.class).orElse(List.of("no", "on-failure",
                        "unless-stopped", "always"))),
                config.get("restart-fallback").asString().orElse("on-failure"),
                config.get("max-restart-retries").asInt().orElse(0),
                config.get("reserved-labels").asList(String.class).orElse(List.of("cx.wip.", "wip.")),
                Engine.create(config.get("engine"), config.get("cpus").asDouble().orElse(1.0),
                        size(config.get("total-memory"), "2g")));
    }

    private static String bytes(long value) {
        return value % (1L << 30) == 0 ? (value >> 30) + "GiB" : (value >> 20) + "MiB";
    }

    /** Parses {@code 512m}, {@code 2g}, {@code 1048576}: binary units, as docker's CLI reads them. */
    public static long parseSize(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        if (v.endsWith("b")) {
            v = v.substring(0, v.length() - 1);
        }
        long unit = 1;
        char last = v.isEmpty() ? ' ' : v.charAt(v.length() - 1);
        switch (last) {
            case 'k' -> unit = 1L << 10;
            case 'm' -> unit = 1L << 20;
            case 'g' -> unit = 1L << 30;
            case 't' -> unit = 1L << 40;
            default -> unit = 1;
        }
        String number = unit == 1 ? v : v.substring(0, v.length() - 1);
        return Math.round(Double.parseDouble(number) * unit);
    }

    private static long size(Config node, String fallback) {
        return parseSize(node.asString().orElse(fallback));
    }
}
