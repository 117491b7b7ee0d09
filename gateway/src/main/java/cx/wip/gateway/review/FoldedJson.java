package cx.wip.gateway.review;

import java.io.IOException;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * A JSON body read as the daemon's Go decoder reads it: struct keys match case-insensitively (with Go's two
 * non-ASCII folds), so here any two keys of one object that fold alike — and any duplicate — make the body unreadable.
 * Written apart from policy-service's reader on purpose: the gateway's last check must not share its bugs.
 */
final class FoldedJson {
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    /** Members whose keys are data (Go maps: matched exactly, "a" and "A" are two entries), by folded name. */
    private static final Set<String> MAPS = Set.of("labels", "options", "driveropts", "sysctls", "tmpfs",
            "exposedports", "portbindings", "volumes", "endpointsconfig", "storageopt", "annotations");

    private FoldedJson() {
    }

    /** @return the document, or null when it is not one JSON value without (case-folded) duplicate keys */
    static JsonNode read(byte[] body) {
        try (JsonParser parser = JSON.createParser(body)) {
            JsonNode tree = JSON.readTree(parser);
            if (tree == null || parser.nextToken() != null || !foldedUnique(tree)) {
                return null;
            }
            return tree;
        } catch (IOException e) {
            return null;
        }
    }

    /** The member whose key folds to {@code name}'s fold, or a missing node. */
    static JsonNode get(JsonNode object, String name) {
        if (object == null || !object.isObject()) {
            return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
        }
        String wanted = fold(name);
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            if (fold(entry.getKey()).equals(wanted)) {
                return entry.getValue();
            }
        }
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }

    /** A string member, or "" when absent or not a string. */
    static String text(JsonNode object, String name) {
        JsonNode value = get(object, name);
        return value.isTextual() ? value.textValue() : "";
    }

    /** Whether a member is there with a value that means something: not null, false, 0, "", [] or {}. */
    static boolean set(JsonNode object, String name) {
        JsonNode value = get(object, name);
        return !(value.isMissingNode() || value.isNull() || (value.isBoolean() && !value.booleanValue())
                || (value.isNumber() && value.asDouble() == 0) || (value.isTextual() && value.textValue().isEmpty())
                || (value.isContainerNode() && value.isEmpty()));
    }

    private static boolean foldedUnique(JsonNode node) {
        return foldedUnique(node, false);
    }

    private static boolean foldedUnique(JsonNode node, boolean map) {
        if (node.isObject()) {
            Set<String> seen = new HashSet<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = it.next();
                String folded = fold(entry.getKey());
                if ((!map && !seen.add(folded)) || !foldedUnique(entry.getValue(), !map && MAPS.contains(folded))) {
                    return false;
                }
            }
        } else if (node.isArray()) {
            for (JsonNode element : node) {
                if (!foldedUnique(element, false)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Go's encoding/json key folding: ASCII case, U+017F (long s) and U+212A (Kelvin sign). */
    static String fold(String key) {
        StringBuilder folded = new StringBuilder(key.length());
        for (int i = 0; i < key.length(); i++) {
            char c = Character.toLowerCase(key.charAt(i));
            folded.append(c == '\u017F' ? 's' : c == '\u212A' ? 'k' : c);
        }
        return folded.toString();
    }
}
