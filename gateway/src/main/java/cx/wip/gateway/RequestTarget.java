package cx.wip.gateway;

import java.util.ArrayList;
import java.util.List;

/**
 * The request target in its one canonical form: the exact string the gateway routes on, reviews and forwards.
 * <p>
 * The daemon (Go's net/http and gorilla/mux) splits the target at the first {@code ?}, percent-decodes the path and
 * routes on the decoded path. A target whose bytes or escapes could be read two ways — a byte outside printable
 * ASCII (re-encoded on the way out: {@code create<0x80>/start} reached the daemon as {@code create?/start}), a
 * malformed escape, an escaped {@code /}, a dot segment the daemon would clean away, an empty segment, a fragment —
 * is refused, never repaired. What is left decodes segment by segment into exactly the segments the daemon routes
 * on, so {@link #segments()} (routed) and {@link #forwarded()} (sent) are two views of one string.
 *
 * @param path  the raw path, validated, as forwarded
 * @param query the raw query without {@code ?}, validated, as forwarded (empty when there is none)
 * @param questionMark whether the client sent a {@code ?} (an empty query is forwarded as sent, too)
 */
record RequestTarget(String path, String query, boolean questionMark) {

    /**
     * @param rawPath  the path as the client sent it
     * @param rawQuery the query as the client sent it, null when the target has no {@code ?}
     * @param fragment whether the client sent a {@code #fragment} (never part of a request target)
     * @throws GatewayException 400 with a Docker-style message when the target is not canonical
     */
    static RequestTarget of(String rawPath, String rawQuery, boolean fragment) {
        if (fragment) {
            throw refuse("a '#' fragment");
        }
        if (rawPath == null || !rawPath.startsWith("/")) {
            throw refuse("a path that does not start with '/'");
        }
        checkCharacters(rawPath, "path");
        checkCharacters(rawQuery == null ? "" : rawQuery, "query");
        RequestTarget target = new RequestTarget(rawPath, rawQuery == null ? "" : rawQuery, rawQuery != null);
        target.segments(); // validates every segment once, here
        return target;
    }

    /** The string written on the request line toward the daemon. */
    String forwarded() {
        return questionMark ? path + "?" + query : path;
    }

    /**
     * The decoded path segments, as the daemon routes on them ({@code "/"} alone gives one empty segment).
     *
     * @throws GatewayException 400 when a segment is empty, a dot segment, or decodes to a '/' or a non-printable
     */
    List<String> segments() {
        List<String> segments = new ArrayList<>();
        if (path.equals("/")) {
            segments.add("");
            return segments;
        }
        for (String raw : path.substring(1).split("/", -1)) {
            String segment = decode(raw);
            if (segment.isEmpty()) {
                throw refuse("an empty path segment ('//' or a trailing '/')");
            }
            if (segment.equals(".") || segment.equals("..")) {
                throw refuse("a '.' or '..' path segment");
            }
            segments.add(segment);
        }
        return segments;
    }

    private static String decode(String raw) {
        if (raw.indexOf('%') < 0) {
            return raw;
        }
        StringBuilder decoded = new StringBuilder(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c != '%') {
                decoded.append(c);
                continue;
            }
            char value = (char) Integer.parseInt(raw, i + 1, i + 3, 16); // well-formed: checked before
            if (value == '/' || value < 0x21 || value > 0x7e) {
                throw refuse("an escape in the path that decodes to '/', a space, a control or a non-ASCII byte");
            }
            decoded.append(value);
            i += 2;
        }
        return decoded.toString();
    }

    /** Printable ASCII only (no space, no '#'), and every '%' starts a two-digit hex escape. */
    private static void checkCharacters(String raw, String part) {
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c < 0x21 || c > 0x7e || c == '#') {
                throw refuse("a byte outside printable ASCII in the " + part);
            }
            if (c == '%' && (i + 2 >= raw.length() || !hex(raw.charAt(i + 1)) || !hex(raw.charAt(i + 2)))) {
                throw refuse("a malformed percent-escape in the " + part);
            }
        }
    }

    private static boolean hex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    private static GatewayException refuse(String what) {
        return new GatewayException(400, "wip: the request target has " + what + " — send a plain, percent-encoded "
                + "ASCII path as docker clients do");
    }
}
