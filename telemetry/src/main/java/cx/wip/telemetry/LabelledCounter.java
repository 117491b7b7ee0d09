package cx.wip.telemetry;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.Metrics;
import io.helidon.metrics.api.Tag;

/**
 * A counter family with fixed label names ({@code wip_x_total{a,b}}); one meter per label set, looked up once.
 * Callers pass bounded values only (enum names, configured names) — never ids, tokens or paths.
 */
public final class LabelledCounter {
    private final MeterRegistry registry;
    private final String name;
    private final String description;
    private final List<String> labels;
    private final Map<List<String>, Counter> counters = new ConcurrentHashMap<>();

    private LabelledCounter(MeterRegistry registry, String name, String description, List<String> labels) {
        this.registry = registry;
        this.name = name;
        this.description = description;
        this.labels = labels;
    }

    /**
     * @param name   family name without {@code _total} (Prometheus output appends it)
     * @param labels label names, in the order {@link #increment(String...)} takes their values
     */
    public static LabelledCounter create(String name, String description, String... labels) {
        return create(Metrics.globalRegistry(), name, description, labels);
    }

    static LabelledCounter create(MeterRegistry registry, String name, String description, String... labels) {
        return new LabelledCounter(registry, name, description, List.of(labels));
    }

    /** Adds one to the counter of these label values (as many as there are label names). */
    public void increment(String... values) {
        counter(List.of(values)).increment();
    }

    /** The current count of these label values (0 when never incremented). */
    public long count(String... values) {
        return counter(List.of(values)).count();
    }

    private Counter counter(List<String> values) {
        return counters.computeIfAbsent(values, key -> registry.getOrCreate(
                Counter.builder(name).description(description).tags(Tags.of(labels, key))));
    }

    /** Label names zipped with their values. */
    static final class Tags {
        private Tags() {
        }

        static List<Tag> of(List<String> names, List<String> values) {
            if (names.size() != values.size()) {
                throw new IllegalArgumentException("labels " + names + " need as many values, got " + values);
            }
            List<Tag> tags = new ArrayList<>(names.size());
            for (int i = 0; i < names.size(); i++) {
                tags.add(Tag.create(names.get(i), values.get(i)));
            }
            return tags;
        }
    }
}
