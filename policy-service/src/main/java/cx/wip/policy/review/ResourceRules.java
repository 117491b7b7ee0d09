package cx.wip.policy.review;

import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import cx.wip.policy.plan.Plan;

import static cx.wip.policy.review.Context.refuse;

/**
 * container.Resources and RestartPolicy: refusals (devices, cgroup parent, realtime CPU, OOM-kill disable) and
 * the plan's limits, applied on create and clamped on create and update, each clamp with a warning.
 */
final class ResourceRules {
    private static final long DEFAULT_CPU_PERIOD = 100_000;
    private static final long DEFAULT_SHM = 64L << 20;

    private ResourceRules() {
    }

    /** @param resources HostConfig (create) or the update body: both carry Resources' fields at their top */
    static void review(ObjectNode resources, Context context, boolean create) {
        refuseEscapes(resources);
        memory(resources, context, create);
        cpus(resources, context, create);
        pids(resources, context, create);
        ulimits(resources, context);
        restartPolicy(resources, context);
    }

    private static void refuseEscapes(ObjectNode r) {
        if (Fields.set(r.get("Devices"))) {
            throw refuse("devices", r.get("Devices").toString(), "host devices are not available to containers; "
                    + "drop devices");
        }
        if (Fields.set(r.get("DeviceCgroupRules"))) {
            throw refuse("device_cgroup_rules", r.get("DeviceCgroupRules").toString(), "host devices are not "
                    + "available to containers; drop device_cgroup_rules");
        }
        if (Fields.set(r.get("DeviceRequests"))) {
            throw refuse("gpus", r.get("DeviceRequests").toString(), "GPUs and other device requests are not "
                    + "available; drop --gpus (deploy.resources.reservations.devices)");
        }
        if (Fields.set(r.get("CgroupParent"))) {
            throw refuse("cgroup_parent", Fields.text(r, "CgroupParent"), "containers stay in the cgroup the "
                    + "platform gives them; drop cgroup_parent");
        }
        if (Fields.set(r.get("OomKillDisable"))) {
            throw refuse("oom_kill_disable", r.get("OomKillDisable").toString(), "a container over its memory "
                    + "limit is stopped by the OOM killer; drop oom_kill_disable");
        }
        for (String field : new String[] {"CpuRealtimePeriod", "CpuRealtimeRuntime"}) {
            if (Fields.set(r.get(field))) {
                throw refuse(field.equals("CpuRealtimePeriod") ? "cpu_rt_period" : "cpu_rt_runtime",
                        r.get(field).toString(), "realtime CPU scheduling is not available; drop it");
            }
        }
    }

    /**
     * An explicit {@code -m} above the plan's per-container limit is clamped (and told); without one the container
     * shares the engine's memory, which is the hard cap — nothing is reserved for it. Swap is never given.
     */
    private static void memory(ObjectNode r, Context context, boolean create) {
        Plan plan = context.plan();
        long asked = Fields.number(r, "Memory");
        long memory = asked;
        if (asked > plan.memoryBytes()) {
            memory = plan.memoryBytes();
            context.warn("memory " + Fields.bytes(asked) + " is above plan " + plan.name() + "'s "
                    + Fields.bytes(plan.memoryBytes()) + " per container — limited to " + Fields.bytes(memory));
            r.put("Memory", memory);
        }
        long swap = Fields.number(r, "MemorySwap");
        if (memory <= 0) {
            if (swap != 0) {
                throw refuse("memory_swap", Long.toString(swap), "swap is not available; give --memory and leave "
                        + "--memory-swap unset or equal to it");
            }
            return;
        }
        if (swap == 0 && !create) {
            return;
        }
        if (swap == -1 || swap > memory) {
            context.warn("memory-swap " + (swap == -1 ? "unlimited" : Fields.bytes(swap)) + " is not available "
                    + "(no swap on plan " + plan.name() + ") — limited to the memory limit " + Fields.bytes(memory));
            r.put("MemorySwap", memory);
        } else if (swap == 0) {
            r.put("MemorySwap", memory);
        }
    }

    /**
     * CPU limits stay in the spelling the client chose — NanoCpus ({@code --cpus}) or CpuQuota/CpuPeriod
     * ({@code --cpu-quota}) — each held to the plan on its own; the daemon refuses the two together. Nothing asked:
     * the container shares the engine's CPUs (the engine is the hard cap); on update a period without a quota, or a quota without a period (either would
     * change what an earlier setting means), is completed with the plan's quota or the default period.
     */
    private static void cpus(ObjectNode r, Context context, boolean create) {
        Plan plan = context.plan();
        long quota = Fields.number(r, "CpuQuota");
        long period = Fields.number(r, "CpuPeriod");
        long nano = Fields.number(r, "NanoCpus");
        long limit = Math.round(plan.cpus() * 1e9);
        long quotaLimit = (long) Math.floor(plan.cpus() * (period > 0 ? period : DEFAULT_CPU_PERIOD));
        if (nano < 0 || nano > limit) {
            warnCpus(context, nano <= 0 ? "unlimited" : Fields.cpus(nano / 1e9));
            r.put("NanoCpus", limit);
        }
        if (quota < 0 || quota > quotaLimit) {
            warnCpus(context, quota < 0 ? "unlimited" : Fields.cpus(quota / (double) (period > 0 ? period
                    : DEFAULT_CPU_PERIOD)));
            r.put("CpuQuota", quotaLimit);
        }
        if (!create && quota != 0 && period == 0) {
            // the container's own period is unknown here and may be short: the quota is held to the default one
            context.warn("cpu-quota without cpu-period — cpu-period set to " + DEFAULT_CPU_PERIOD + " so the quota "
                    + "stays within plan " + plan.name() + "'s " + Fields.cpus(plan.cpus()) + " CPUs");
            r.put("CpuPeriod", DEFAULT_CPU_PERIOD);
        }
        // no --cpus: the container shares the engine's CPUs (the engine is the hard cap); a period alone still gets
        // the plan's quota, or it would lift an earlier one
        if (quota == 0 && nano == 0 && period != 0) {
            r.put("CpuQuota", quotaLimit);
        }
    }

    private static void warnCpus(Context context, String asked) {
        Plan plan = context.plan();
        context.warn("cpus " + asked + " is above plan " + plan.name() + "'s " + Fields.cpus(plan.cpus())
                + " per container — limited to " + Fields.cpus(plan.cpus()));
    }

    private static void pids(ObjectNode r, Context context, boolean create) {
        Plan plan = context.plan();
        JsonNode node = r.get("PidsLimit");
        boolean present = node != null && !node.isNull();
        if (!create && !present) {
            return;
        }
        long asked = Fields.number(r, "PidsLimit");
        if (asked > plan.pids() || (asked < 0) || (!create && asked == 0)) {
            context.warn("pids-limit " + (asked <= 0 ? "unlimited" : String.valueOf(asked)) + " is above plan "
                    + plan.name() + "'s " + plan.pids() + " — limited to " + plan.pids());
            r.put("PidsLimit", plan.pids());
        } else if (asked == 0) {
            r.put("PidsLimit", plan.pids());
        }
    }

    /** Shared memory lives in the container's memory: never above the plan's shm size. */
    static void shm(ObjectNode hostConfig, Context context) {
        Plan plan = context.plan();
        long asked = Fields.number(hostConfig, "ShmSize");
        if (asked > plan.shmBytes()) {
            context.warn("shm-size " + Fields.bytes(asked) + " is above plan " + plan.name() + "'s "
                    + Fields.bytes(plan.shmBytes()) + " — limited to " + Fields.bytes(plan.shmBytes()));
            hostConfig.put("ShmSize", plan.shmBytes());
        } else if (asked <= 0) {
            hostConfig.put("ShmSize", Math.min(DEFAULT_SHM, plan.shmBytes()));
        }
    }

    private static void ulimits(ObjectNode r, Context context) {
        JsonNode ulimits = r.get("Ulimits");
        if (ulimits == null || !ulimits.isArray()) {
            return;
        }
        for (JsonNode element : ulimits) {
            if (!(element instanceof ObjectNode ulimit)) {
                continue;
            }
            String name = Fields.text(ulimit, "Name").toLowerCase(Locale.ROOT);
            if (name.equals("rtprio") || name.equals("rttime")) {
                throw refuse("ulimits", name, "realtime scheduling is not available; drop the " + name + " ulimit");
            }
            Long max = context.plan().ulimits().get(name);
            if (max == null) {
                continue;
            }
            for (String bound : new String[] {"Soft", "Hard"}) {
                long value = Fields.number(ulimit, bound);
                if (value > max || value < 0) {
                    context.warn("ulimit " + name + " " + bound.toLowerCase(Locale.ROOT) + " "
                            + (value < 0 ? "unlimited" : String.valueOf(value)) + " is above plan "
                            + context.plan().name() + "'s " + max + " — limited to " + max);
                    ulimit.put(bound, max);
                }
            }
        }
    }

    private static void restartPolicy(ObjectNode r, Context context) {
        ObjectNode policy = Fields.object(r, "RestartPolicy");
        if (policy == null) {
            return;
        }
        Plan plan = context.plan();
        String name = Fields.text(policy, "Name");
        if (!name.isEmpty() && !plan.restartPolicies().contains(name)) {
            context.warn("restart policy \"" + name + "\" is not available on plan " + plan.name() + " — using \""
                    + plan.restartFallback() + "\"");
            policy.put("Name", plan.restartFallback());
        }
        long retries = Fields.number(policy, "MaximumRetryCount");
        if (plan.maxRestartRetries() > 0 && retries > plan.maxRestartRetries()) {
            context.warn("restart retries " + retries + " are above plan " + plan.name() + "'s "
                    + plan.maxRestartRetries() + " — limited to " + plan.maxRestartRetries());
            policy.put("MaximumRetryCount", plan.maxRestartRetries());
        }
    }
}
