package cx.wip.policy.review;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import cx.wip.policy.plan.Plan;

/**
 * tmpfs mounts, both spellings: HostConfig.Tmpfs (path → mount options) and Mounts of type tmpfs. Each is held to
 * the plan's size; a size of 0 means "unlimited" to the kernel, so it is clamped like any size above the plan. A size
 * within the plan is left exactly as sent.
 */
final class Tmpfs {
    /** TmpfsOptions.Options flags that cannot change the size or reach anything outside the mount. */
    private static final Set<String> FLAGS = Set.of("exec", "noexec");
    private static final long NOT_A_SIZE = Long.MIN_VALUE;
    /** nr_blocks counts pages. */
    private static final long PAGE = 4096;

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
        if (asked > max || asked < 0) {
            warn(context, Fields.text(mount, "Target"), asked < 0 ? "unlimited" : Fields.bytes(asked));
        } else if (asked == 0) {
            context.warn("tmpfs " + Fields.text(mount, "Target") + " has no size — given plan "
                    + context.plan().name() + "'s " + Fields.bytes(max));
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

    /**
     * HostConfig.Tmpfs: the options stay as sent, in their order and spelling ({@code size=3M} stays {@code size=3M});
     * only a size the plan does not allow — above it, a percentage of the machine's memory, or 0 (unlimited), by
     * {@code size=} or by {@code nr_blocks=} — is replaced by the plan's size, and a mount without one gets it, each
     * with a warning. Whatever option the kernel takes last is then within the plan.
     */
    static void map(ObjectNode hostConfig, Context context) {
        ObjectNode tmpfs = Fields.object(hostConfig, "Tmpfs");
        if (tmpfs == null) {
            return;
        }
        long max = context.plan().tmpfsBytes();
        String planSize = "size=" + shortSize(max);
        for (Iterator<Map.Entry<String, JsonNode>> it = tmpfs.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            List<String> options = new ArrayList<>();
            boolean sized = false;
            String sent = entry.getValue().asText();
            for (String option : sent.isEmpty() ? new String[0] : sent.split(",", -1)) {
                long asked = askedBytes(option.trim());
                if (asked == NOT_A_SIZE) {
                    options.add(option);
                    continue;
                }
                sized = true;
                if (asked > 0 && asked <= max) {
                    options.add(option);
                } else {
                    warn(context, entry.getKey(), asked == 0 ? option.trim() + " (unlimited)" : option.trim());
                    options.add(planSize);
                }
            }
            if (!sized) {
                context.warn("tmpfs " + entry.getKey() + " has no size — given plan " + context.plan().name()
                        + "'s " + Fields.bytes(max));
                options.add(planSize);
            }
            String mapped = String.join(",", options);
            if (!mapped.equals(sent)) {
                entry.setValue(TextNode.valueOf(mapped));
            }
        }
    }

    /** The bytes a size option asks for (-1 for a percentage), or {@link #NOT_A_SIZE}. */
    private static long askedBytes(String option) {
        String lower = option.toLowerCase(Locale.ROOT);
        if (lower.startsWith("size=")) {
            String value = option.substring(5);
            return value.endsWith("%") ? -1 : sizeOf(value);
        }
        if (lower.startsWith("nr_blocks=")) {
            String value = option.substring(10);
            long blocks = value.endsWith("%") ? -1 : sizeOf(value);
            return blocks > Long.MAX_VALUE / PAGE ? Long.MAX_VALUE : blocks * PAGE;
        }
        return NOT_A_SIZE;
    }

    /** 64m, 1g, 512k — as a user writes a size, when it is a whole number of such units. */
    static String shortSize(long bytes) {
        for (String[] unit : new String[][] {{"g", "30"}, {"m", "20"}, {"k", "10"}}) {
            long size = 1L << Integer.parseInt(unit[1]);
            if (bytes % size == 0) {
                return bytes / size + unit[0];
            }
        }
        return String.valueOf(bytes);
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
