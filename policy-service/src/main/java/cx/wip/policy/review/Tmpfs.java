package cx.wip.policy.review;

import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import cx.wip.policy.plan.Plan;

/**
 * tmpfs mounts, both spellings: HostConfig.Tmpfs (path → mount options) and Mounts of type tmpfs. Each is held to
 * the plan's size; a size of 0 means "unlimited" to the kernel, so it is clamped like any size above the plan.
 */
final class Tmpfs {
    /** TmpfsOptions.Options flags that cannot change the size or reach anything outside the mount. */
    private static final Set<String> FLAGS = Set.of("exec", "noexec");

    private Tmpfs() {
    }

    /** A tmpfs entry of Mounts: SizeBytes clamped (0 included), Options only plain exec flags. */
    static void mount(ObjectNode mount, Context context) {
        ObjectNode options = Fields.object(mount, "TmpfsOptions");
        if (options == null) {
            options = mount.putObject("TmpfsOptions");
        }
        JsonNode extra = options.get("Options");
        if (extra != null && !extra.isNull()) {
            flags(extra);
        }
        long max = context.plan().tmpfsBytes();
        long asked = Fields.number(options, "SizeBytes");
        if (asked > max) {
            warn(context, Fields.text(mount, "Target"), Fields.bytes(asked));
        }
        if (asked <= 0 || asked > max) {
            options.put("SizeBytes", max);
        }
    }

    /** [["noexec"]]: a size or nr_blocks given here would come after SizeBytes and win over the clamp. */
    private static void flags(JsonNode extra) {
        boolean plain = extra.isArray();
        for (JsonNode option : extra) {
            plain &= option.isArray() && option.size() == 1 && option.get(0).isTextual()
                    && FLAGS.contains(option.get(0).textValue());
        }
        if (!plain) {
            throw Context.refuse("tmpfs options", extra.toString(), "only [[\"exec\"]] or [[\"noexec\"]] may be "
                    + "given; set the size with tmpfs-size");
        }
    }

    /** HostConfig.Tmpfs: every size option dropped, the plan's (or a smaller asked) size appended last. */
    static void map(ObjectNode hostConfig, Context context) {
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
                    long asked = value.endsWith("%") ? -1 : sizeOf(value);
                    if (asked <= 0 || asked > max) {
                        warn(context, entry.getKey(), asked == 0 ? value + " (unlimited)" : value);
                    } else {
                        size = asked;
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
            return Plan.parseSize(value);
        } catch (NumberFormatException e) {
            throw PolicyException.invalid("tmpfs size \"" + value + "\" is not a size (use e.g. 64m)");
        }
    }

    private static void warn(Context context, String target, String asked) {
        context.warn("tmpfs " + target + " size " + asked + " is above plan " + context.plan().name() + "'s "
                + Fields.bytes(context.plan().tmpfsBytes()) + " — limited to "
                + Fields.bytes(context.plan().tmpfsBytes()));
    }
}
