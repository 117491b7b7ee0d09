package cx.wip.policy.review;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Reading canonical documents the way the daemon reads their fields (absent, null, zero and empty alike). */
final class Fields {
    private Fields() {
    }

    /** @return whether the field asks for anything: not absent, null, false, 0, "" or empty */
    static boolean set(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return false;
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isNumber()) {
            return node.doubleValue() != 0;
        }
        if (node.isTextual()) {
            return !node.textValue().isEmpty();
        }
        return !node.isEmpty();
    }

    static String text(ObjectNode object, String field) {
        JsonNode node = object.get(field);
        if (node == null || node.isNull()) {
            return "";
        }
        return node.isTextual() ? node.textValue() : node.toString();
    }

    /** A Go int64 field: absent and null read as 0; anything but an integer is refused. */
    static long number(ObjectNode object, String field) {
        JsonNode node = object.get(field);
        if (node == null || node.isNull()) {
            return 0;
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong()) {
            throw PolicyException.invalid("\"" + field + "\" must be an integer, got " + node);
        }
        return node.longValue();
    }

    /** A list of strings; a single string counts as a list of one (docker's StrSlice accepts both). */
    static List<String> texts(ObjectNode object, String field) {
        JsonNode node = object.get(field);
        List<String> values = new ArrayList<>();
        if (node == null || node.isNull()) {
            return values;
        }
        if (node.isArray()) {
            node.forEach(element -> values.add(element.isTextual() ? element.textValue() : element.toString()));
        } else {
            values.add(node.isTextual() ? node.textValue() : node.toString());
        }
        return values;
    }

    /** @return the object at {@code field}, or null when absent or not an object */
    static ObjectNode object(ObjectNode parent, String field) {
        JsonNode node = parent.get(field);
        return node instanceof ObjectNode object ? object : null;
    }

    /** Human size as docker prints it: 512MiB, 1.5GiB. */
    static String bytes(long bytes) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        double value = bytes;
        int unit = 0;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        String number = value == Math.rint(value) ? String.valueOf((long) value)
                : String.format(Locale.ROOT, "%.2f", value).replaceAll("0+$", "");
        return number + units[unit];
    }

    static String cpus(double cpus) {
        return cpus == Math.rint(cpus) ? String.valueOf((long) cpus) : String.format(Locale.ROOT, "%.2f", cpus)
                .replaceAll("0+$", "");
    }
}
