package cx.wip.policy.review;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import static cx.wip.policy.review.Context.refuse;

/**
 * Binds, Mounts and Tmpfs of a container. Host paths are never mounted: a host bind becomes a named volume,
 * stable per compose project and path (so {@code ./data:/data} keeps its data across down and up), and the user
 * is told. The Docker socket is refused outright; volume drivers and driver options that mount host paths or
 * network shares are refused; tmpfs sizes are clamped to the plan.
 */
final class Mounts {
    static final String COMPOSE_PROJECT = "com.docker.compose.project";

    private Mounts() {
    }

    static void review(ObjectNode hostConfig, String project, Context context) {
        String driver = Fields.text(hostConfig, "VolumeDriver");
        if (!driver.isEmpty() && !driver.equals("local")) {
            throw refuse("volume_driver", driver, "only local volumes are available; drop volume_driver");
        }
        binds(hostConfig, project, context);
        mounts(hostConfig, project, context);
        tmpfs(hostConfig, context);
    }

    private static void binds(ObjectNode hostConfig, String project, Context context) {
        JsonNode binds = hostConfig.get("Binds");
        if (binds == null || !binds.isArray()) {
            return;
        }
        ArrayNode rewritten = JsonNodeFactory.instance.arrayNode();
        for (JsonNode bind : binds) {
            String spec = bind.asText();
            String[] parts = spec.split(":");
            if (parts.length < 2 || !parts[0].startsWith("/")) {
                rewritten.add(bind);
                continue;
            }
            String source = parts[0];
            refuseSocket(source, spec);
            String volume = volumeName(project, source);
            StringBuilder replacement = new StringBuilder(volume).append(':').append(parts[1]);
            if (parts.length > 2) {
                String kept = keptOptions(parts[2]);
                if (!kept.isEmpty()) {
                    replacement.append(':').append(kept);
                }
            }
            warnRewrite(context, source, volume);
            rewritten.add(replacement.toString());
        }
        hostConfig.set("Binds", rewritten);
    }

    private static void mounts(ObjectNode hostConfig, String project, Context context) {
        JsonNode mounts = hostConfig.get("Mounts");
        if (mounts == null || !mounts.isArray()) {
            return;
        }
        for (JsonNode element : mounts) {
            if (!(element instanceof ObjectNode mount)) {
                throw PolicyException.invalid("each of HostConfig.Mounts must be an object");
            }
            String type = Fields.text(mount, "Type").toLowerCase(Locale.ROOT);
            switch (type) {
                case "bind" -> {
                    String source = Fields.text(mount, "Source");
                    refuseSocket(source, source + ":" + Fields.text(mount, "Target"));
                    String volume = volumeName(project, source);
                    mount.put("Type", "volume");
                    mount.put("Source", volume);
                    mount.remove("BindOptions");
                    warnRewrite(context, source, volume);
                }
                case "volume" -> volumeOptions(mount);
                case "tmpfs" -> tmpfsOptions(mount, context);
                default -> throw refuse("mount type", type.isEmpty() ? "(none)" : type, "only volume, bind "
                        + "(turned into a volume) and tmpfs mounts are available");
            }
        }
    }

    private static void volumeOptions(ObjectNode mount) {
        ObjectNode options = Fields.object(mount, "VolumeOptions");
        ObjectNode driver = options == null ? null : Fields.object(options, "DriverConfig");
        if (driver == null) {
            return;
        }
        String name = Fields.text(driver, "Name");
        if (!name.isEmpty() && !name.equals("local")) {
            throw refuse("volume-driver", name, "only local volumes are available; drop the volume driver");
        }
        if (Fields.set(driver.get("Options"))) {
            throw refuse("volume-opt", driver.get("Options").toString(), "volume options could mount host paths "
                    + "or network shares; drop volume-opt to get a plain volume");
        }
    }

    private static void tmpfsOptions(ObjectNode mount, Context context) {
        ObjectNode options = Fields.object(mount, "TmpfsOptions");
        if (options == null) {
            options = mount.putObject("TmpfsOptions");
        }
        long max = context.plan().tmpfsBytes();
        long asked = Fields.number(options, "SizeBytes");
        if (asked > max) {
            warnTmpfs(context, Fields.text(mount, "Target"), Fields.bytes(asked));
        }
        if (asked <= 0 || asked > max) {
            options.put("SizeBytes", max);
        }
    }

    private static void tmpfs(ObjectNode hostConfig, Context context) {
        ObjectNode tmpfs = Fields.object(hostConfig, "Tmpfs");
        if (tmpfs == null) {
            return;
        }
        long max = context.plan().tmpfsBytes();
        for (Iterator<Map.Entry<String, JsonNode>> it = tmpfs.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            StringBuilder options = new StringBuilder();
            long size = max;
            for (String raw : entry.getValue().asText().split(",")) {
                String option = raw.trim();
                if (option.toLowerCase(Locale.ROOT).startsWith("size=")) {
                    String value = option.substring(5);
                    if (value.endsWith("%") || sizeOf(value) > max) {
                        warnTmpfs(context, entry.getKey(), value);
                    } else {
                        size = sizeOf(value);
                    }
                } else if (!option.isEmpty()) {
                    options.append(option).append(',');
                }
            }
            entry.setValue(TextNode.valueOf(options.append("size=").append(size).toString()));
        }
    }

    private static long sizeOf(String value) {
        try {
            return cx.wip.policy.plan.Plan.parseSize(value);
        } catch (NumberFormatException e) {
            throw PolicyException.invalid("tmpfs size \"" + value + "\" is not a size (use e.g. 64m)");
        }
    }

    private static void warnTmpfs(Context context, String target, String asked) {
        context.warn("tmpfs " + target + " size " + asked + " is above plan " + context.plan().name() + "'s "
                + Fields.bytes(context.plan().tmpfsBytes()) + " — limited to "
                + Fields.bytes(context.plan().tmpfsBytes()));
    }

    private static void refuseSocket(String source, String spec) {
        if (source.endsWith("docker.sock") || source.endsWith("containerd.sock")) {
            throw refuse("volumes", spec, "the Docker socket of the host is never mounted into containers; "
                    + "drop this volume");
        }
    }

    private static void warnRewrite(Context context, String source, String volume) {
        context.warn("bind mount of host path \"" + source + "\" became the named volume \"" + volume + "\" — host "
                + "paths are not reachable here; its data persists across down and up");
    }

    /** Keeps only options that mean something for a volume: ro/rw and nocopy. */
    private static String keptOptions(String options) {
        StringBuilder kept = new StringBuilder();
        for (String option : options.split(",")) {
            if (option.equals("ro") || option.equals("rw") || option.equals("nocopy")) {
                kept.append(kept.isEmpty() ? "" : ",").append(option);
            }
        }
        return kept.toString();
    }

    /** {@code <project>_<last path element>_<8 hex of the path's SHA-256>}: stable, valid as a volume name. */
    static String volumeName(String project, String hostPath) {
        String trimmed = hostPath.replaceAll("/+$", "");
        String last = trimmed.substring(trimmed.lastIndexOf('/') + 1);
        return sanitize(project) + "_" + sanitize(last.isEmpty() ? "root" : last) + "_" + hash(trimmed);
    }

    private static String sanitize(String name) {
        String cleaned = name.replaceAll("[^a-zA-Z0-9_.-]", "-").replaceAll("^[^a-zA-Z0-9]+", "");
        return cleaned.isEmpty() ? "wip" : cleaned;
    }

    private static String hash(String value) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }
}
