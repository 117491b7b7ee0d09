package cx.wip.policy.review;

import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import cx.wip.policy.plan.Plan;

import static cx.wip.policy.review.Context.refuse;

/**
 * Container create, update and exec create: nothing that reaches host privileges, host namespaces, host devices
 * or host files; the plan's limits applied; the tenant's quota kept. What stays inside the tenant's own engine and
 * network namespace (ports on any address, MAC and static addresses, storage options, isolation) is the engine's
 * to accept or refuse, as on a plain engine.
 */
final class ContainerRules {
    /** The platform's own label on every container: the memory limit the quota counts. */
    static final String MEMORY_LABEL = "cx.wip.memory";

    private static final List<String[]> NAMESPACES = List.of(
            new String[] {"NetworkMode", "network_mode", "publish ports instead (ports: [\"8080:80\"])"},
            new String[] {"PidMode", "pid", "drop pid (or share a container's: pid: \"service:x\")"},
            new String[] {"IpcMode", "ipc", "drop ipc (or use shareable/container:)"},
            new String[] {"UTSMode", "uts", "drop uts; set hostname instead"},
            new String[] {"UsernsMode", "userns_mode", "drop userns_mode"},
            new String[] {"CgroupnsMode", "cgroupns", "drop cgroupns (private is the default)"});

    private ContainerRules() {
    }

    static void create(ObjectNode body, Context context) {
        ObjectNode hostConfig = Fields.object(body, "HostConfig");
        if (hostConfig == null) {
            hostConfig = body.putObject("HostConfig");
        }
        // MacAddress, published ports on any address or range, static endpoint addresses: all live in the
        // tenant's own engine and network namespace, like on a plain engine
        refuseEscapes(hostConfig, context.plan());
        ObjectNode networking = Fields.object(body, "NetworkingConfig");
        if (networking != null) {
            NetworkRules.endpoints(networking);
        }
        Labels.stripReserved(body, context);
        ObjectNode labels = Fields.object(body, "Labels");
        String project = labels == null ? "wip" : Fields.text(labels, Mounts.COMPOSE_PROJECT);
        Mounts.review(hostConfig, project.isEmpty() ? "wip" : project, context);
        ResourceRules.review(hostConfig, context, true);
        ResourceRules.shm(hostConfig, context);
        Quota.create(Fields.number(hostConfig, "Memory"), context);
        (labels == null ? body.putObject("Labels") : labels)
                .put(MEMORY_LABEL, String.valueOf(Fields.number(hostConfig, "Memory")));
    }

    static void update(ObjectNode body, Context context) {
        ResourceRules.review(body, context, false);
        Quota.update(Fields.number(body, "Memory"), context);
    }

    static void exec(ObjectNode body) {
        if (Fields.set(body.get("Privileged"))) {
            throw refuse("privileged", body.get("Privileged").toString(), "exec runs unprivileged; drop "
                    + "--privileged");
        }
    }

    private static void refuseEscapes(ObjectNode hc, Plan plan) {
        if (Fields.set(hc.get("Privileged"))) {
            throw refuse("privileged", hc.get("Privileged").toString(), "containers run unprivileged; drop it, "
                    + "or add only the capability you need (cap_add: [NET_BIND_SERVICE])");
        }
        for (String cap : Fields.texts(hc, "CapAdd")) {
            String name = cap.toUpperCase(Locale.ROOT).replaceFirst("^CAP_", "");
            if (!plan.capabilities().contains(name)) {
                throw refuse("cap_add", name, "capabilities beyond " + String.join(", ",
                        plan.capabilities().stream().sorted().toList()) + " are not available; drop " + name);
            }
        }
        for (String[] namespace : NAMESPACES) {
            if (Fields.text(hc, namespace[0]).trim().equalsIgnoreCase("host")) {
                throw refuse(namespace[1], "host", "containers never share the host's namespaces; "
                        + namespace[2]);
            }
        }
        for (String option : Fields.texts(hc, "SecurityOpt")) {
            if (!option.matches("no-new-privileges([:=]true)?")) {
                throw refuse("security_opt", option, "containers keep the default seccomp, AppArmor and SELinux "
                        + "confinement; only no-new-privileges may be set");
            }
        }
        for (String field : new String[] {"MaskedPaths", "ReadonlyPaths"}) {
            JsonNode paths = hc.get(field);
            if (paths != null && !paths.isNull()) {
                throw refuse("security_opt", "systempaths=unconfined (" + field + ")", "/proc and /sys stay "
                        + "masked; drop systempaths=unconfined");
            }
        }
        ObjectNode sysctls = Fields.object(hc, "Sysctls");
        if (sysctls != null) {
            sysctls.fieldNames().forEachRemaining(name -> {
                if (!namespaced(name) && !plan.sysctls().contains(name)) {
                    throw refuse("sysctls", name + "=" + sysctls.get(name).asText(), "only sysctls of the "
                            + "container's own namespaces may be set (net.*, kernel.shm*, kernel.msg*, kernel.sem, "
                            + "fs.mqueue.*)");
                }
            });
        }
        String runtime = Fields.text(hc, "Runtime");
        if (!runtime.isEmpty() && !plan.runtimes().contains(runtime)) {
            throw refuse("runtime", runtime, "allowed runtimes: " + String.join(", ", plan.runtimes()));
        }
        if (Fields.set(hc.get("OomScoreAdj")) && Fields.number(hc, "OomScoreAdj") < 0) {
            throw refuse("oom_score_adj", Fields.text(hc, "OomScoreAdj"), "containers cannot protect themselves "
                    + "from the OOM killer; use 0 or more");
        }
        ObjectNode logConfig = Fields.object(hc, "LogConfig");
        String logDriver = logConfig == null ? "" : Fields.text(logConfig, "Type");
        if (!logDriver.isEmpty() && !plan.logDrivers().contains(logDriver)) {
            throw refuse("logging.driver", logDriver, "logs stay on your daemon (allowed: " + String.join(", ",
                    plan.logDrivers().stream().sorted().toList()) + "); read them with docker logs");
        }
        // read by the OCI runtime, which may act on them (crun and CRI-O annotations add devices)
        if (Fields.set(hc.get("Annotations"))) {
            throw refuse("annotations", hc.get("Annotations").toString(), "runtime annotations are not available; "
                    + "drop annotations");
        }
    }

    /**
     * The sysctls the kernel keeps per namespace (and the only ones runc sets in a container with its own network
     * and IPC namespaces): they change the container alone. Everything else would change the machine.
     */
    static boolean namespaced(String name) {
        return name.startsWith("net.") || name.startsWith("kernel.shm") || name.startsWith("kernel.msg")
                || name.equals("kernel.sem") || name.startsWith("fs.mqueue.");
    }
}
