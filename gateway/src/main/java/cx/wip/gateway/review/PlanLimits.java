package cx.wip.gateway.review;

/**
 * The limits of a tenant's plan, as shown to the tenant (e.g. {@code docker info}).
 *
 * @param plan             plan name
 * @param cpus             CPUs one container may use
 * @param memoryBytes      memory one container may use
 * @param maxContainers    containers the tenant may have
 * @param totalMemoryBytes memory all the tenant's containers may reserve together
 * @param engineCpus       CPUs of the tenant's whole engine (the hard cap; 0 when the policy did not say)
 * @param engineMemoryBytes memory of the tenant's whole engine (0 when the policy did not say)
 * @param engineDiskBytes  disk of the tenant's engine (0 = not limited)
 */
public record PlanLimits(String plan, double cpus, long memoryBytes, int maxContainers, long totalMemoryBytes,
                         double engineCpus, long engineMemoryBytes, long engineDiskBytes) {

    /** What {@code docker info} shows as the machine: the engine (older policies: the container totals). */
    double shownCpus() {
        return engineCpus > 0 ? engineCpus : cpus;
    }

    long shownMemory() {
        return engineMemoryBytes > 0 ? engineMemoryBytes : totalMemoryBytes;
    }
}
