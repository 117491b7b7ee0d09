package cx.wip.policy.plan;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.logging.Logger;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;

/**
 * The plans, by name. Plans come from the service's YAML config ({@code policy.plans}) or, when
 * {@code policy.plans-file} is set, from that YAML file, re-read when it changes so that a plan change
 * applies to the next request.
 */
public final class Plans {
    private static final Logger LOGGER = Logger.getLogger(Plans.class.getName());
    private final Path file;
    private volatile Snapshot snapshot;

    private record Snapshot(FileTime modified, Map<String, Plan> plans) {
    }

    private Plans(Path file, Map<String, Plan> plans) {
        this.file = file;
        this.snapshot = new Snapshot(null, plans);
    }

    /** @param policy the {@code policy} config node */
    public static Plans create(Config policy) {
        Optional<String> file = policy.get("plans-file").asString().asOptional();
        if (file.isPresent()) {
            Plans plans = new Plans(Path.of(file.get()), Map.of());
            plans.reloadIfChanged();
            return plans;
        }
        return new Plans(null, read(policy.get("plans")));
    }

    /** @return the plan, as configured now */
    public Optional<Plan> plan(String name) {
        if (file != null) {
            reloadIfChanged();
        }
        return Optional.ofNullable(snapshot.plans().get(name));
    }

    private void reloadIfChanged() {
        FileTime modified;
        try {
            modified = Files.getLastModifiedTime(file);
        } catch (IOException e) {
            throw new UncheckedIOException("plans file " + file + " cannot be read", e);
        }
        Snapshot current = snapshot;
        if (modified.equals(current.modified())) {
            return;
        }
        synchronized (this) {
            if (!modified.equals(snapshot.modified())) {
                Config config = Config.just(ConfigSources.file(file).build());
                Config plans = config.get("plans").exists() ? config.get("plans") : config.get("policy.plans");
                snapshot = new Snapshot(modified, read(plans));
            }
        }
    }

    private static Map<String, Plan> read(Config plans) {
        Map<String, Plan> byName = plans.asNodeList().orElseThrow(
                        () -> new IllegalArgumentException("no plans configured at " + plans.key()))
                .stream().map(Plan::create).filter(Plans::fitsThisHost)
                .collect(Collectors.toUnmodifiableMap(Plan::name, Function.identity()));
        if (byName.isEmpty()) {
            throw new IllegalArgumentException("no usable plans configured at " + plans.key());
        }
        return byName;
    }

    /**
     * A container cannot be given more CPUs than the host has (the daemon refuses every such create: "Range of CPUs
     * is from 0.01 to 2.00"), nor an engine more memory than the host: such a plan is refused, the numbers logged.
     */
    static boolean fitsThisHost(Plan plan) {
        int hostCpus = Runtime.getRuntime().availableProcessors();
        long hostMemory = hostMemory();
        if (plan.cpus() > hostCpus || (hostMemory > 0 && plan.engine().memoryBytes() > hostMemory)) {
            LOGGER.severe("plan " + plan.name() + " refused: its containers' cpus " + plan.cpus() + " and engine "
                    + "memory " + (plan.engine().memoryBytes() >> 20) + "MiB must fit this host's " + hostCpus
                    + " CPUs and " + (hostMemory >> 20) + "MiB; tenants on it are refused until the plan is fixed");
            return false;
        }
        return true;
    }

    private static long hostMemory() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getTotalMemorySize();
        }
        return 0;
    }
}
