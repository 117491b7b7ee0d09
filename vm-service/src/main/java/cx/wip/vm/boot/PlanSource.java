package cx.wip.vm.boot;

/**
 * Where a tenant's plan comes from. In a deployment, from policy-service — the one owner of plan definitions
 * ({@link PolicyPlans}); {@link Plans} reads {@code vm.plans} for tests and a vm-service run on its own.
 */
public interface PlanSource {
    /**
     * @return the plan's engine size and idle time
     * @throws IllegalStateException when the plan cannot be told (unknown, or its owner unreachable and never read)
     */
    Plan plan(String name);
}
