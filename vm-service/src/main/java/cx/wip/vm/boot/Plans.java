package cx.wip.vm.boot;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.helidon.config.Config;

/**
 * Plans from vm-service's own config ({@code vm.plans}), for tests and a vm-service run without policy-service; unknown
 * plan names get {@code vm.default-plan}. A deployment defines plans once, in policy-service ({@link PolicyPlans}).
 */
public final class Plans implements PlanSource {
    private final Map<String, Plan> plans;
    private final Plan fallback;

    private Plans(Map<String, Plan> plans, Plan fallback) {
        this.plans = Map.copyOf(plans);
        this.fallback = fallback;
    }

    public static Plans create(Config vm) {
        Map<String, Plan> plans = new LinkedHashMap<>();
        for (Config node : vm.get("plans").asNodeList().orElse(List.of())) {
            plans.put(node.name(), Plan.create(node.name(), node));
        }
        String defaultName = vm.get("default-plan").asString().orElse("default");
        Plan fallback = plans.getOrDefault(defaultName,
                                           new Plan(defaultName, 0, 0, 0, Duration.ofMinutes(30), false));
        return new Plans(plans, fallback);
    }

    @Override
    public Plan plan(String name) {
        return plans.getOrDefault(name == null ? "" : name, fallback);
    }
}
