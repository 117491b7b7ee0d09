package cx.wip.gateway.review;

import java.io.IOException;
import java.util.Optional;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import cx.wip.gateway.identity.Tenant;

/**
 * Takes host details out of daemon responses, in one place. Keys stay (emptied), so every client still parses;
 * {@code docker info} shows the tenant's plan (CPUs per container, memory quota) instead of the host's.
 * A response that is not a JSON object (an error text) passes unchanged: it carries none of these fields.
 */
public final class Redactor {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final PlanLimitsSource plans;
    private final Function<Tenant, Optional<String>> engineStates;

    public Redactor(PlanLimitsSource plans) {
        this(plans, tenant -> Optional.empty());
    }

    /** @param engineStates whether the tenant's engine is awake, why, and when it sleeps (a line of `docker info`) */
    public Redactor(PlanLimitsSource plans, Function<Tenant, Optional<String>> engineStates) {
        this.plans = plans;
        this.engineStates = engineStates;
    }

    public byte[] redact(Tenant tenant, RedactedKind kind, byte[] json) {
        JsonNode tree;
        try {
            tree = JSON.readTree(json);
        } catch (IOException e) {
            return json;
        }
        if (tree == null || !(tree.isObject() || tree.isArray())) {
            return json;
        }
        switch (kind) {
            case INFO -> info(tenant, tree);
            case VERSION -> version(tree);
            case CONTAINER_INSPECT -> container(tree);
            case IMAGE_INSPECT -> graphDriver(tree);
            case VOLUME_INSPECT -> blank(tree, "Mountpoint");
            case VOLUME_LIST -> tree.path("Volumes").forEach(volume -> blank(volume, "Mountpoint"));
            case SYSTEM_DF -> {
                tree.path("Volumes").forEach(volume -> blank(volume, "Mountpoint"));
                tree.path("Containers").forEach(Redactor::mountSources);
            }
        }
        try {
            return JSON.writeValueAsBytes(tree);
        } catch (IOException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
    }

    private void info(Tenant tenant, JsonNode info) {
        if (!(info instanceof ObjectNode o)) {
            return;
        }
        Optional<PlanLimits> plan = plans.limits(tenant);
        put(o, "ID", "wip-" + tenant.slug());
        put(o, "Name", tenant.slug());
        put(o, "OperatingSystem", "wip");
        for (String field : new String[] {"KernelVersion", "OSVersion", "DockerRootDir", "HttpProxy", "HttpsProxy",
                "NoProxy", "InitBinary"}) {
            blank(o, field);
        }
        for (String field : new String[] {"Labels", "Warnings", "DriverStatus", "CDISpecDirs", "DefaultAddressPools"}) {
            if (o.has(field) && !o.get(field).isNull()) {
                o.set(field, NODES.arrayNode());
            }
        }
        if (o.has("NCPU")) {
            o.put("NCPU", plan.map(p -> (int) Math.ceil(p.shownCpus())).orElse(0));
        }
        if (o.has("MemTotal")) {
            o.put("MemTotal", plan.map(PlanLimits::shownMemory).orElse(0L));
        }
        // `docker info` prints these under "Labels:": where the tenant stands, in the CLI's own output
        Optional<String> state = plan.isPresent() ? engineStates.apply(tenant) : Optional.empty();
        plan.ifPresent(p -> o.set("Labels", NODES.arrayNode().add("wip.plan=" + p.plan())
                .add("wip.engine=" + cpus(p.shownCpus()) + " CPU, " + bytes(p.shownMemory()) + " memory"
                        + (p.engineDiskBytes() > 0 ? ", " + bytes(p.engineDiskBytes()) + " disk" : ""))
                .add("wip.containers=at most " + p.maxContainers() + " not exited, each up to " + cpus(p.cpus())
                        + " CPU and " + bytes(p.memoryBytes()) + " with -m/--cpus; without them they share the engine")));
        state.ifPresent(words -> ((com.fasterxml.jackson.databind.node.ArrayNode) o.get("Labels"))
                .add("wip.engine.state=" + words));
        if (o.has("Runtimes")) {
            o.set("Runtimes", NODES.objectNode().set("runc", NODES.objectNode().put("path", "runc")));
        }
        if (o.path("Containerd") instanceof ObjectNode containerd) {
            blank(containerd, "Address");
        }
        if (o.path("RegistryConfig") instanceof ObjectNode registry) {
            for (String field : new String[] {"InsecureRegistryCIDRs", "Mirrors", "AllowNondistributableArtifactsCIDRs",
                    "AllowNondistributableArtifactsHostnames"}) {
                if (registry.has(field)) {
                    registry.set(field, NODES.arrayNode());
                }
            }
            if (registry.path("IndexConfigs") instanceof ObjectNode indexes) {
                indexes.forEach(index -> {
                    if (index instanceof ObjectNode entry && entry.has("Mirrors")) {
                        entry.set("Mirrors", NODES.arrayNode());
                    }
                });
            }
        }
    }

    private static String cpus(double cpus) {
        return cpus == Math.rint(cpus) ? Long.toString((long) cpus) : Double.toString(cpus);
    }

    private static String bytes(long bytes) {
        return bytes % (1L << 30) == 0 ? (bytes >> 30) + "GiB" : (bytes >> 20) + "MiB";
    }

    private static void version(JsonNode version) {
        blank(version, "KernelVersion");
        version.path("Components").forEach(component -> blank(component.path("Details"), "KernelVersion"));
    }

    private static void container(JsonNode container) {
        for (String field : new String[] {"ResolvConfPath", "HostnamePath", "HostsPath", "LogPath"}) {
            blank(container, field);
        }
        graphDriver(container);
        mountSources(container);
    }

    private static void graphDriver(JsonNode object) {
        if (object.path("GraphDriver") instanceof ObjectNode driver && driver.has("Data")) {
            driver.set("Data", NODES.objectNode());
        }
    }

    private static void mountSources(JsonNode container) {
        container.path("Mounts").forEach(mount -> blank(mount, "Source"));
    }

    private static void blank(JsonNode node, String field) {
        if (node instanceof ObjectNode o && o.has(field) && !o.get(field).isNull()) {
            o.put(field, "");
        }
    }

    private static void put(ObjectNode o, String field, String value) {
        if (o.has(field)) {
            o.put(field, value);
        }
    }
}
