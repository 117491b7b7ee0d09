package cx.wip.policy.review;

import cx.wip.policy.plan.Plan;

/**
 * The tenant's quota: containers and their memory limits added up, against the plan's totals. Checked only when
 * the gateway could tell what the tenant uses now ({@link Context#usage()}); the limits each container gets are
 * already within the plan, so what is left to check is the sum.
 */
final class Quota {
    private Quota() {
    }

    /** Create: one more container, with the memory limit the rules gave it. */
    static void create(long memory, Context context) {
        if (context.usage().isEmpty()) {
            return;
        }
        Usage usage = context.usage().get();
        Plan plan = context.plan();
        if (usage.containers() + 1 > plan.maxContainers()) {
            throw PolicyException.quota("plan " + plan.name() + " allows " + plan.maxContainers() + " containers that "
                    + "are not exited and you have " + usage.containers() + " — stop or remove one (docker stop, "
                    + "docker rm) before creating another; exited containers do not count");
        }
        if (usage.memoryBytes() + memory > plan.totalMemoryBytes()) {
            throw PolicyException.quota("this container's memory " + Fields.bytes(memory) + " would bring your "
                    + "containers to " + Fields.bytes(usage.memoryBytes() + memory) + "; plan " + plan.name()
                    + " allows " + Fields.bytes(plan.totalMemoryBytes()) + " in all — remove a container or ask "
                    + "for less memory (-m)");
        }
    }

    /**
     * Update: a new memory limit replaces the container's old one, so the usage the gateway sends for an update
     * leaves the updated container out (see {@code Usage.memory_bytes} in policy.proto). No memory asked (0)
     * keeps the old limit, which was counted when it was set.
     */
    static void update(long memory, Context context) {
        if (context.usage().isEmpty() || memory <= 0) {
            return;
        }
        long others = context.usage().get().memoryBytes();
        Plan plan = context.plan();
        if (others + memory > plan.totalMemoryBytes()) {
            throw PolicyException.quota("this update's memory " + Fields.bytes(memory) + " would bring your "
                    + "containers to " + Fields.bytes(others + memory) + " (the others have "
                    + Fields.bytes(others) + "); plan " + plan.name() + " allows "
                    + Fields.bytes(plan.totalMemoryBytes()) + " in all — remove a container or ask for less memory "
                    + "(docker update -m)");
        }
    }
}
