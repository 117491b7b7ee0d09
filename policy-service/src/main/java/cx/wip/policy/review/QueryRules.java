package cx.wip.policy.review;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import cx.wip.policy.plan.Plan;

import static cx.wip.policy.review.Context.refuse;

/**
 * Build and image pull, reviewed by their query. Parsed as Go's {@code url.ParseQuery} does; every value of a key
 * is checked (Go's FormValue takes the first, so checking all is never weaker), keys matched case-insensitively.
 */
final class QueryRules {
    private static final Set<String> BUILD_NETWORKS = Set.of("", "default", "bridge", "none");

    private QueryRules() {
    }

    static void build(String rawQuery) {
        List<String[]> query = parse(rawQuery);
        for (String mode : values(query, "networkmode")) {
            if (!BUILD_NETWORKS.contains(mode)) {
                throw refuse("network", mode, "builds use their own network (RUN steps never see the host's); "
                        + "drop --network");
            }
        }
        for (String parent : values(query, "cgroupparent")) {
            if (!parent.isEmpty()) {
                throw refuse("cgroup-parent", parent, "builds stay in the platform's cgroup; drop --cgroup-parent");
            }
        }
        for (String remote : values(query, "remote")) {
            if (!remote.isEmpty() && !remote.equals("client-session")) {
                throw refuse("build context", remote, "the daemon does not fetch remote contexts; clone or download"
                        + " it and build from the directory (docker build .)");
            }
        }
        for (String isolation : values(query, "isolation")) {
            if (!isolation.isEmpty() && !isolation.equals("default")) {
                throw refuse("isolation", isolation, "drop --isolation");
            }
        }
    }

    static void imagePull(String rawQuery, Plan plan) {
        List<String[]> query = parse(rawQuery);
        for (String source : values(query, "fromSrc")) {
            if (!source.isEmpty() && !source.equals("-")) {
                throw refuse("import from", source, "the daemon does not fetch URLs; download the file and import "
                        + "it from stdin (docker import - < image.tar)");
            }
        }
        for (String image : values(query, "fromImage")) {
            String registry = registry(image);
            if (!plan.registries().contains("*") && !plan.registries().contains(registry)) {
                throw refuse("image", image, "plan " + plan.name() + " pulls only from " + String.join(", ",
                        plan.registries()) + "; push the image there first");
            }
        }
    }

    /** The registry of an image reference, as docker's reference parser decides it. */
    static String registry(String image) {
        int slash = image.indexOf('/');
        if (slash < 0) {
            return "docker.io";
        }
        String first = image.substring(0, slash);
        boolean isHost = first.contains(".") || first.contains(":") || first.equals("localhost");
        return isHost ? first.toLowerCase(Locale.ROOT) : "docker.io";
    }

    private static List<String[]> parse(String rawQuery) {
        List<String[]> pairs = new ArrayList<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return pairs;
        }
        if (rawQuery.contains(";")) {
            throw PolicyException.invalid("the query contains ';' — separate parameters with '&'");
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            try {
                String key = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
                String value = equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
                pairs.add(new String[] {key, value});
            } catch (IllegalArgumentException e) {
                throw PolicyException.invalid("the query parameter \"" + pair + "\" is not URL-encoded correctly");
            }
        }
        return pairs;
    }

    private static List<String> values(List<String[]> query, String key) {
        return query.stream().filter(pair -> pair[0].equalsIgnoreCase(key)).map(pair -> pair[1]).toList();
    }
}
