package cx.wip.vm.boot;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;

import io.helidon.metrics.api.Gauge;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.Metrics;
import io.helidon.metrics.api.Tag;
import io.helidon.metrics.api.Timer;

/**
 * Engines as the operator sees them: {@code wip_vm_engines{state}} (awake, asleep, stopped, as of the last idle
 * check; pooled: spare engines ready now), {@code wip_vm_engines_frozen} (asleep ones in light sleep) and {@code wip_vm_wake_seconds{cause,from}} (from the ensure that found the
 * engine asleep or stopped to its answer, buckets up to 10 s).
 */
final class EngineMetrics {
    private static final Duration[] BUCKETS = {Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
        Duration.ofSeconds(1), Duration.ofMillis(1500), Duration.ofSeconds(2), Duration.ofSeconds(3),
        Duration.ofSeconds(5), Duration.ofSeconds(10)};
    private static final Map<State, AtomicLong> COUNTS = new EnumMap<>(State.class);
    private static final AtomicLong FROZEN = new AtomicLong();
    private static volatile IntSupplier pooled = () -> 0;

    static {
        MeterRegistry registry = Metrics.globalRegistry();
        for (State state : new State[] {State.RUNNING, State.ASLEEP, State.STOPPED}) {
            AtomicLong count = new AtomicLong();
            COUNTS.put(state, count);
            registry.getOrCreate(Gauge.builder("wip_vm_engines", count::get)
                    .description("engines by state (pooled: spare engines ready to be handed out)")
                    .tags(java.util.List.of(Tag.create("state", state == State.RUNNING ? "awake"
                            : state.name().toLowerCase(java.util.Locale.ROOT)))));
        }
        registry.getOrCreate(Gauge.builder("wip_vm_engines_frozen", FROZEN::get)
                .description("asleep engines in light sleep: running, their containers frozen"));
        registry.getOrCreate(Gauge.builder("wip_vm_engines", () -> pooled.getAsInt())
                .description("engines by state (pooled: spare engines ready to be handed out)")
                .tags(java.util.List.of(Tag.create("state", "pooled"))));
    }

    private EngineMetrics() {
    }

    /** @param from light (frozen), deep (engine stopped with apps) or stopped (engine stopped without apps) */
    static void woke(Cause cause, String from, Duration took) {
        Metrics.globalRegistry().getOrCreate(Timer.builder("wip_vm_wake")
                .description("time from an ensure that found the engine asleep or stopped to its answer")
                .buckets(BUCKETS).tags(java.util.List.of(Tag.create("cause", cause.label()),
                                                          Tag.create("from", from)))).record(took);
    }

    /** The states seen by the last idle check, and how many of the asleep engines are frozen. */
    static void counts(Map<State, Long> byState, long frozen) {
        COUNTS.forEach((state, count) -> count.set(byState.getOrDefault(state, 0L)));
        FROZEN.set(frozen);
    }

    /** Where the number of pooled engines comes from (the backend's spare pool, when it has one). */
    static void pooled(IntSupplier spares) {
        pooled = spares;
    }
}
