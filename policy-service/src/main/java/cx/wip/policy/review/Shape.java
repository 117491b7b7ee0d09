package cx.wip.policy.review;

import java.util.HashMap;
import java.util.Map;

/**
 * The shape of a Docker API JSON document as the daemon's Go decoder sees it: structs (keys matched
 * case-insensitively), maps (keys are data, matched exactly), lists, and leaves the policy does not look into.
 */
sealed interface Shape permits Shape.Struct, Shape.MapOf, Shape.ListOf, Shape.Leaf {

    Leaf LEAF = new Leaf();

    /** A Go struct: canonical field names, found by their Go-folded form. */
    record Struct(Map<String, Field> byFoldedName) implements Shape {
        Field field(String key) {
            return byFoldedName.get(fold(key));
        }
    }

    /** A Go map: keys kept as sent, values of one shape. */
    record MapOf(Shape value) implements Shape {
    }

    /** A JSON array of one shape. */
    record ListOf(Shape element) implements Shape {
    }

    /** Anything: forwarded as sent (the policy has no rule about it). */
    record Leaf() implements Shape {
    }

    record Field(String name, Shape shape) {
    }

    /** Starts a struct: {@code struct("Image", "Cmd").with("HostConfig", HOST_CONFIG)}. */
    static StructBuilder struct(String... leafNames) {
        StructBuilder builder = new StructBuilder();
        for (String name : leafNames) {
            builder.with(name, LEAF);
        }
        return builder;
    }

    final class StructBuilder {
        private final Map<String, Field> fields = new HashMap<>();

        StructBuilder with(String name, Shape shape) {
            fields.put(fold(name), new Field(name, shape));
            return this;
        }

        StructBuilder withAll(Struct other) {
            fields.putAll(other.byFoldedName());
            return this;
        }

        Struct build() {
            return new Struct(Map.copyOf(fields));
        }
    }

    /**
     * Go's encoding/json case folding for field names: ASCII letters fold to lower case, and the two non-ASCII
     * letters that fold onto ASCII ones (U+017F long s, U+212A Kelvin sign) fold onto 's' and 'k'. Every other
     * character stays as it is, so it never matches an ASCII field name — as in Go.
     */
    static String fold(String key) {
        StringBuilder folded = new StringBuilder(key.length());
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                folded.append((char) (c + ('a' - 'A')));
            } else if (c == '\u017F') {
                folded.append('s');
            } else if (c == '\u212A') {
                folded.append('k');
            } else {
                folded.append(c);
            }
        }
        return folded.toString();
    }
}
