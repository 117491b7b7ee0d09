package cx.wip.gateway.review;

/**
 * The limits of a tenant's plan, as shown to the tenant (e.g. {@code docker info}).
 *
 * @param plan             plan name
 * @param cpus             CPUs one container may use
 * @param memoryBytes      memory one container may use
 * @param maxContainers    containers the tenant may have
 * @param totalMemoryBytes memory all the tenant's containers may reserve together
 */
public record PlanLimits(String plan, double cpus, long memoryBytes, int maxContainers, long totalMemoryBytes) {
}
