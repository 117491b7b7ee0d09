package cx.wip.gateway;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A Docker API path pattern: literal segments, {@code {x}} for one segment, and at most one {@code {x*}} for one or
 * more segments (image names contain slashes: {@code /images/localhost:5000/team/app/json}).
 */
record PathPattern(String text, String[] segments, int greedyAt) {

    static PathPattern of(String text) {
        String[] segments = text.substring(1).split("/");
        int greedy = -1;
        for (int i = 0; i < segments.length; i++) {
            if (segments[i].endsWith("*}")) {
                if (greedy >= 0) {
                    throw new IllegalArgumentException("two greedy segments in " + text);
                }
                greedy = i;
            }
        }
        return new PathPattern(text, segments, greedy);
    }

    /** The captured parameters when the (version-less, raw) path matches. */
    Optional<Map<String, String>> match(String[] path) {
        int n = segments.length;
        if (greedyAt < 0 ? path.length != n : path.length < n) {
            return Optional.empty();
        }
        Map<String, String> params = new LinkedHashMap<>();
        int tail = n - greedyAt - 1;
        for (int i = 0; i < n; i++) {
            if (i == greedyAt) {
                String value = String.join("/", Arrays.copyOfRange(path, i, path.length - tail));
                params.put(name(segments[i]), value);
                continue;
            }
            String actual = greedyAt >= 0 && i > greedyAt ? path[path.length - (n - i)] : path[i];
            if (!bind(segments[i], actual, params)) {
                return Optional.empty();
            }
        }
        return Optional.of(params);
    }

    private static boolean bind(String pattern, String actual, Map<String, String> params) {
        if (pattern.startsWith("{")) {
            if (actual.isEmpty()) {
                return false;
            }
            params.put(name(pattern), actual);
            return true;
        }
        return pattern.equals(actual);
    }

    private static String name(String segment) {
        return segment.substring(1, segment.length() - (segment.endsWith("*}") ? 2 : 1));
    }
}
