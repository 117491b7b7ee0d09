package cx.wip.telemetry;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.Metrics;
import io.helidon.metrics.api.Timer;

/**
 * A timer family with fixed label names (Prometheus: {@code wip_x_seconds_count}, {@code _sum}, {@code _max});
 * one meter per label set, looked up once. Bounded label values only.
 */
public final class LabelledTimer {
    private final MeterRegistry registry;
    private final String name;
    private final String description;
    private final List<String> labels;
    private final Map<List<String>, Timer> timers = new ConcurrentHashMap<>();

    private LabelledTimer(MeterRegistry registry, String name, String description, List<String> labels) {
        this.registry = registry;
        this.name = name;
        this.description = description;
        this.labels = labels;
    }

    /** @param name family name without the {@code _seconds} unit (Prometheus output appends it) */
    public static LabelledTimer create(String name, String description, String... labels) {
        return create(Metrics.globalRegistry(), name, description, labels);
    }

    static LabelledTimer create(MeterRegistry registry, String name, String description, String... labels) {
        return new LabelledTimer(registry, name, description, List.of(labels));
    }

    /** Records one duration for these label values. */
    public void record(Duration duration, String... values) {
        timer(List.of(values)).record(duration);
    }

    /** How many durations were recorded for these label values. */
    public long count(String... values) {
        return timer(List.of(values)).count();
    }

    private Timer timer(List<String> values) {
        return timers.computeIfAbsent(values, key -> registry.getOrCreate(Timer.builder(name)
                .description(description).tags(LabelledCounter.Tags.of(labels, key))));
    }
}
