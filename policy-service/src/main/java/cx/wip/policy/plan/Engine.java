package cx.wip.policy.plan;

import java.time.Duration;

import io.helidon.config.Config;

/**
 * The tenant's engine a plan gives: the hard cap on everything its containers use, like a VM's size. vm-service sizes
 * engines from this (it asks policy-service, the one owner of plans); containers without {@code -m}/{@code --cpus}
 * share it.
 *
 * @param cpus        CPUs of the whole engine
 * @param memoryBytes memory of the whole engine
 * @param diskBytes   disk of the engine's data, where the backend can enforce it (0 = not limited)
 * @param idleAfter   an engine with no API call and no running container this long is stopped
 * @param sleepWithApps whether an engine that runs containers sleeps too after {@code idleAfter} with no API call,
 *                    open session or HTTP hit (its containers are started again when it wakes)
 */
public record Engine(double cpus, long memoryBytes, long diskBytes, Duration idleAfter, boolean sleepWithApps) {
    public Engine {
        if (cpus <= 0 || memoryBytes <= 0 || diskBytes < 0 || idleAfter.isNegative() || idleAfter.isZero()) {
            throw new IllegalArgumentException("engine: cpus and memory must be positive, disk 0 or more, "
                    + "idle-after positive");
        }
    }

    /**
     * Reads {@code engine} of a plan node. Without one (older plan files), the engine is as large as the plan's
     * container totals: {@code total-memory} and the per-container {@code cpus}.
     */
    static Engine create(Config engine, double containerCpus, long totalMemory) {
        return new Engine(engine.get("cpus").asDouble().orElse(containerCpus),
                engine.get("memory").asString().map(Plan::parseSize).orElse(totalMemory),
                engine.get("disk").asString().map(Plan::parseSize).orElse(0L),
                engine.get("idle-after").as(Duration.class).orElse(Duration.ofMinutes(30)),
                engine.get("sleep-with-apps").asBoolean().orElse(false));
    }
}
