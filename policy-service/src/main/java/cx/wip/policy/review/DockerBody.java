package cx.wip.policy.review;

import java.io.IOException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Reads a request body the one way the daemon reads it, and writes the body that is forwarded instead.
 * <p>
 * The daemon's Go decoder matches struct keys case-insensitively and lets the last duplicate win, so a body
 * could say {@code "Privileged": false} to a naive reader and {@code "privileged": true} to the daemon. Here
 * duplicates and case-variant duplicates are refused, struct keys are renamed to their canonical spelling,
 * unknown keys are dropped, and only the re-serialised document is ever forwarded.
 */
final class DockerBody {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();

    private DockerBody() {
    }

    /**
     * @return the canonical document: an object with canonical key spelling, only known keys
     * @throws PolicyException.InvalidBody if the body is not one JSON object, or has (case-variant) duplicates
     */
    static ObjectNode read(byte[] body, Shape.Struct shape, String what) {
        return read(body, shape, what, null);
    }

    /**
     * @param misplaced fields the daemon also reads at the top level (the deprecated embedded HostConfig of
     *                  container create): moved into HostConfig as the daemon merges them ({@link EmbeddedHostConfig})
     */
    static ObjectNode read(byte[] body, Shape.Struct shape, String what, Shape.Struct misplaced) {
        JsonNode tree;
        try (JsonParser parser = MAPPER.createParser(body)) {
            tree = MAPPER.readTree(parser);
            if (parser.nextToken() != null) {
                throw PolicyException.invalid("the " + what + " body has data after the JSON object — send one JSON object");
            }
        } catch (IOException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("Duplicate field")) {
                throw PolicyException.invalid("the " + what + " body repeats a key (" + firstLine(e.getMessage())
                        + ") — the daemon would take the last one; send each field once");
            }
            throw PolicyException.invalid("the " + what + " body is not a JSON object (" + firstLine(e.getMessage())
                    + ") — send Content-Type: application/json; form-encoded bodies are refused");
        }
        if (tree == null || !tree.isObject()) {
            throw PolicyException.invalid("the " + what + " body must be one JSON object — form-encoded and other "
                    + "bodies are refused");
        }
        refuseInfinite(tree, what);
        if (misplaced != null) {
            EmbeddedHostConfig.move((ObjectNode) tree, shape, misplaced);
        }
        return (ObjectNode) canonical(tree, shape, "");
    }

    /**
     * A number too large for a double (1e400) reads as infinity and would be written back as the string
     * "Infinity": the daemon would get a different body from the one the client sent. Go refuses such a number.
     */
    private static void refuseInfinite(JsonNode node, String what) {
        if (node.isFloatingPointNumber() && !Double.isFinite(node.doubleValue())) {
            throw PolicyException.invalid("the " + what + " body has a number out of range — send numbers a "
                    + "64-bit float can hold");
        }
        node.forEach(child -> refuseInfinite(child, what));
    }

    static byte[] write(JsonNode document) {
        try {
            return MAPPER.writeValueAsBytes(document);
        } catch (IOException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
    }

    private static JsonNode canonical(JsonNode node, Shape shape, String at) {
        return switch (shape) {
            case Shape.Leaf leaf -> node;
            case Shape.Struct struct -> node.isObject() ? struct((ObjectNode) node, struct, at) : node;
            case Shape.MapOf map -> node.isObject() ? map((ObjectNode) node, map, at) : node;
            case Shape.ListOf list -> node.isArray() ? list((ArrayNode) node, list, at) : node;
        };
    }

    private static ObjectNode struct(ObjectNode node, Shape.Struct shape, String at) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        Map<String, String> seen = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            String key = entry.getKey();
            String earlier = seen.put(Shape.fold(key), key);
            if (earlier != null) {
                throw PolicyException.invalid("\"" + at + key + "\" and \"" + at + earlier + "\" are the same field "
                        + "to the daemon (keys are matched case-insensitively) — send each field once");
            }
            Shape.Field field = shape.field(key);
            if (field != null) {
                out.set(field.name(), canonical(entry.getValue(), field.shape(), at + field.name() + "."));
            }
        }
        return out;
    }

    private static ObjectNode map(ObjectNode node, Shape.MapOf shape, String at) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        node.fields().forEachRemaining(entry -> out.set(entry.getKey(),
                canonical(entry.getValue(), shape.value(), at + entry.getKey() + ".")));
        return out;
    }

    private static ArrayNode list(ArrayNode node, Shape.ListOf shape, String at) {
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        for (int i = 0; i < node.size(); i++) {
            out.add(canonical(node.get(i), shape.element(), at + i + "."));
        }
        return out;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
