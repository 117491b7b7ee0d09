package cx.wip.policy.review;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import static cx.wip.policy.review.Context.refuse;

/**
 * Binds, Mounts and Tmpfs of a container. Host paths are never mounted: a host bind becomes a named volume,
 * stable per compose project and path (so {@code ./data:/data} keeps its data across down and up), and the user
 * is told. The Docker socket is refused outright; volume drivers and driver options that mount host paths or
 * network shares are refused on every mount, whatever its type; tmpfs sizes are clamped to the plan.
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
        Tmpfs.map(hostConfig, context);
    }

    private static void binds(ObjectNode hostConfig, String project, Context context) {
        JsonNode binds = hostConfig.get("Binds");
        if (binds == null || binds.isNull()) {
            return;
        }
        if (!binds.isArray()) {
            throw PolicyException.invalid("HostConfig.Binds must be a list of \"source:target[:options]\" strings");
        }
        ArrayNode rewritten = JsonNodeFactory.instance.arrayNode();
        for (JsonNode bind : binds) {
            if (!bind.isTextual()) {
                throw PolicyException.invalid("each of HostConfig.Binds must be a \"source:target[:options]\" "
                        + "string, got " + bind);
            }
            String spec = bind.textValue();
            String[] parts = spec.split(":");
            if (parts.length < 2 || !parts[0].startsWith("/")) {
                rewritten.add(bind);
                continue;
            }
            String source = parts[0];
            HostPaths.refuseSocket(source, spec);
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
        if (mounts == null || mounts.isNull()) {
            return;
        }
        if (!mounts.isArray()) {
            throw PolicyException.invalid("HostConfig.Mounts must be a list of mount objects");
        }
        for (int i = 0; i < mounts.size(); i++) {
            if (!(mounts.get(i) instanceof ObjectNode mount)) {
                throw PolicyException.invalid("each of HostConfig.Mounts must be an object");
            }
            String type = Fields.text(mount, "Type").toLowerCase(Locale.ROOT);
            switch (type) {
                case "bind" -> bind(mount, "HostConfig.Mounts[" + i + "]", project, context);
                case "volume" -> volume(mount);
                case "tmpfs" -> Tmpfs.mount(mount, context);
                default -> throw refuse("mount type", type.isEmpty() ? "(none)" : type, "only volume, bind "
                        + "(turned into a volume) and tmpfs mounts are available");
            }
            volumeOptions(mount, context);
        }
    }

    /**
     * A bind becomes a volume, and a volume's options are mount(8) arguments: options carried over from the bind
     * would mount whatever they name ({@code type=none,o=bind,device=/} is the host's root). The daemon never
     * accepts VolumeOptions or TmpfsOptions on a bind, so a bind that has them is refused, not cleaned.
     */
    private static void bind(ObjectNode mount, String at, String project, Context context) {
        for (String field : new String[] {"VolumeOptions", "TmpfsOptions"}) {
            if (Fields.set(mount.get(field))) {
                throw PolicyException.refused("bind_" + Context.rule(field), "\"" + at + "." + field + ": "
                        + mount.get(field) + "\" is not allowed — a bind mount has no " + field + " (bind mounts "
                        + "become plain volumes here); drop " + field);
            }
        }
        String source = Fields.text(mount, "Source");
        HostPaths.refuseSocket(source, source + ":" + Fields.text(mount, "Target"));
        String volume = volumeName(project, source);
        mount.put("Type", "volume");
        mount.put("Source", volume);
        mount.remove("BindOptions");
        mount.remove("VolumeOptions");
        mount.remove("TmpfsOptions");
        warnRewrite(context, source, volume);
    }

    /** A volume's source is a volume name; a path there is never a volume of this daemon. */
    private static void volume(ObjectNode mount) {
        String source = Fields.text(mount, "Source");
        if (source.contains("/")) {
            throw refuse("volumes", source + ":" + Fields.text(mount, "Target"), "a volume mount's source is a "
                    + "volume name, not a path; host paths are not reachable here");
        }
    }

    /** On every mount type: a DriverConfig is used wherever the daemon finds one, so none may reach a driver. */
    private static void volumeOptions(ObjectNode mount, Context context) {
        ObjectNode options = Fields.object(mount, "VolumeOptions");
        if (options == null) {
            return;
        }
        Labels.stripReserved(options, context);
        ObjectNode driver = Fields.object(options, "DriverConfig");
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
