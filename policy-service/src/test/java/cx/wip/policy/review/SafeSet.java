package cx.wip.policy.review;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The safe set, as a test oracle written apart from the rules: a plain, case-insensitive walk of a body the policy
 * allowed, listing what would reach the host. It reuses none of the production rule classes, so a rule that goes
 * wrong cannot take its own check with it.
 * <p>
 * Deliberately allowed here: {@code container:NAME} namespace modes (every container on a tenant's daemon is the
 * tenant's; compose's {@code network_mode: service:x} needs it), the {@code runc} runtime, the {@code none} log
 * driver, and a sized tmpfs volume ({@code type=tmpfs,device=tmpfs}).
 */
final class SafeSet {
    private static final ObjectMapper STRICT = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
    /** Objects whose keys are data (Go maps): a case-variant pair there is two entries, not one field twice. */
    private static final Set<String> MAPS = Set.of("labels", "options", "driveropts", "tmpfs", "sysctls",
            "portbindings", "exposedports", "volumes", "endpointsconfig", "config", "storageopt", "annotations");
    private static final Set<String> NAMESPACES = Set.of("networkmode", "pidmode", "ipcmode", "utsmode",
            "usernsmode", "cgroupnsmode");

    private SafeSet() {
    }

    static List<String> violations(Request.Operation operation, byte[] body) {
        List<String> found = new ArrayList<>();
        JsonNode root;
        try {
            root = STRICT.readTree(body);
        } catch (IOException e) {
            return List.of("not one JSON object without duplicate keys: " + e.getMessage());
        }
        walk(root, false, "", found);
        switch (operation) {
            case CONTAINER_CREATE -> {
                container(root, found);
                all(root, "hostconfig").forEach(hc -> container(hc, found));
            }
            case CONTAINER_UPDATE -> container(root, found);
            case EXEC_CREATE -> all(root, "privileged").stream().filter(SafeSet::notFalse)
                    .forEach(p -> found.add("exec Privileged " + p));
            case VOLUME_CREATE -> volume(root, found);
            default -> { }
        }
        return found;
    }

    /** Everywhere: no case-variant duplicates, no bind mounts, no driver options, nothing privileged. */
    private static void walk(JsonNode node, boolean isMap, String at, List<String> found) {
        if (node.isArray()) {
            node.forEach(element -> walk(element, false, at + "[]", found));
            return;
        }
        if (!node.isObject()) {
            return;
        }
        Set<String> seen = new HashSet<>();
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            String key = fold(entry.getKey());
            if (!isMap && !seen.add(key)) {
                found.add("duplicate key " + at + "." + entry.getKey());
            }
            if (!isMap && key.equals("type") && text(entry.getValue()).equals("bind")) {
                found.add("bind mount at " + at);
            }
            if (!isMap && key.equals("privileged") && notFalse(entry.getValue())) {
                found.add("privileged at " + at);
            }
            if (!isMap && key.equals("driverconfig")) {
                JsonNode driver = entry.getValue();
                all(driver, "options").stream().filter(SafeSet::nonEmpty)
                        .forEach(o -> found.add("volume driver options at " + at + ": " + o));
                all(driver, "name").stream().map(SafeSet::text).filter(n -> !n.isEmpty() && !n.equals("local"))
                        .forEach(n -> found.add("volume driver " + n + " at " + at));
            }
            walk(entry.getValue(), !isMap && MAPS.contains(key), at + "." + entry.getKey(), found);
        }
    }

    /** HostConfig (or the create body's top, or an update body): the escape hatches of the notes. */
    private static void container(JsonNode scope, List<String> found) {
        for (JsonNode binds : all(scope, "binds")) {
            for (JsonNode bind : binds) {
                String[] parts = bind.asText().split(":");
                if (parts.length >= 2 && parts[0].startsWith("/")) {
                    found.add("host path bind " + bind);
                }
            }
        }
        for (String field : List.of("devices", "devicecgrouprules", "devicerequests", "cgroupparent")) {
            all(scope, field).stream().filter(SafeSet::nonEmpty).forEach(v -> found.add(field + " " + v));
        }
        for (String field : NAMESPACES) {
            all(scope, field).stream().map(v -> text(v).trim()).filter(v -> v.equals("host"))
                    .forEach(v -> found.add(field + " host"));
        }
        for (JsonNode options : all(scope, "securityopt")) {
            for (JsonNode option : options.isArray() ? options : STRICT.createArrayNode().add(options)) {
                if (!text(option).startsWith("no-new-privileges")) {
                    found.add("security option " + option);
                }
            }
        }
        for (String field : List.of("maskedpaths", "readonlypaths")) {
            all(scope, field).stream().filter(v -> !v.isNull()).forEach(v -> found.add(field + " " + v));
        }
        all(scope, "runtime").stream().map(SafeSet::text).filter(r -> !r.isEmpty() && !r.equals("runc"))
                .forEach(r -> found.add("runtime " + r));
        all(scope, "volumedriver").stream().map(SafeSet::text).filter(d -> !d.isEmpty() && !d.equals("local"))
                .forEach(d -> found.add("volume driver " + d));
        for (JsonNode log : all(scope, "logconfig")) {
            all(log, "type").stream().map(SafeSet::text)
                    .filter(t -> !Set.of("", "json-file", "local", "none").contains(t))
                    .forEach(t -> found.add("log driver " + t));
        }
    }

    private static void volume(JsonNode root, List<String> found) {
        all(root, "driver").stream().map(SafeSet::text).filter(d -> !d.isEmpty() && !d.equals("local"))
                .forEach(d -> found.add("volume driver " + d));
        for (JsonNode options : all(root, "driveropts")) {
            boolean tmpfs = options.size() <= 3 && text(options.path("type")).equals("tmpfs")
                    && text(options.path("device")).equals("tmpfs");
            for (Map.Entry<String, JsonNode> option : options.properties()) {
                tmpfs &= Set.of("type", "device", "o").contains(option.getKey());
            }
            for (String o : text(options.path("o")).split(",")) {
                tmpfs &= o.isEmpty() || o.matches("(?i)(size|mode|uid|gid)=[^,]*");
            }
            if (nonEmpty(options) && !tmpfs) {
                found.add("volume driver options " + options);
            }
        }
    }

    /** Every value under a key that folds to {@code name}, as the daemon would find it. */
    private static List<JsonNode> all(JsonNode object, String name) {
        List<JsonNode> values = new ArrayList<>();
        if (object != null && object.isObject()) {
            object.properties().forEach(e -> {
                if (fold(e.getKey()).equals(name)) {
                    values.add(e.getValue());
                }
            });
        }
        return values;
    }

    /** Only false (or null, Go's zero) is unprivileged; anything else is taken as asking for it. */
    private static boolean notFalse(JsonNode node) {
        return !node.isNull() && !(node.isBoolean() && !node.booleanValue());
    }

    private static boolean nonEmpty(JsonNode node) {
        return node != null && !node.isNull() && !(node.isContainerNode() && node.isEmpty())
                && !(node.isTextual() && node.textValue().isEmpty());
    }

    private static String text(JsonNode node) {
        return node == null || node.isNull() ? "" : node.asText().toLowerCase(Locale.ROOT);
    }

    /** Stricter than Go's folding of field names: upper then lower case folds ſ onto s and K onto k too. */
    private static String fold(String key) {
        return key.toUpperCase(Locale.ROOT).toLowerCase(Locale.ROOT);
    }
}
