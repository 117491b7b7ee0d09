package cx.wip.ingress;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The grammar of the {@code com.wip.http} label, pure Java so that a policy can call it too:
 * {@code "web:80"} (a name under the tenant's subdomain) or {@code "www.example.com:8080,api:3000"} (several routes;
 * a name with a dot is a custom domain). Names are DNS names (letters, digits, hyphens; case-insensitive).
 */
public final class HttpLabel {
    /** The label key. */
    public static final String KEY = "com.wip.http";

    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    private static final Pattern PORT = Pattern.compile("[0-9]{1,5}");
    private static final String EXAMPLE = " (e.g. \"web:80\" or \"www.example.com:8080,api:3000\")";

    private HttpLabel() {
    }

    /**
     * @return the routes a label value asks for, in order
     * @throws InvalidLabelException with a one-line message naming the bad part
     */
    public static List<HttpTarget> parse(String value) {
        if (value == null || value.isBlank()) {
            throw invalid(value, "is empty: give NAME:PORT" + EXAMPLE);
        }
        List<HttpTarget> targets = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (String raw : value.split(",", -1)) {
            HttpTarget target = entry(value, raw.strip());
            if (!names.add(target.name())) {
                throw invalid(value, "names " + target.name() + " twice");
            }
            targets.add(target);
        }
        return List.copyOf(targets);
    }

    /**
     * Checks a custom domain name (a host with at least one dot).
     *
     * @return the name in lower case
     */
    public static String domain(String name) {
        String host = name == null ? "" : name.strip().toLowerCase(Locale.ROOT);
        if (!host.contains(".") || !validHost(host)) {
            throw new InvalidLabelException("\"" + name + "\" is not a domain name like www.example.com");
        }
        return host;
    }

    private static HttpTarget entry(String value, String entry) {
        int colon = entry.lastIndexOf(':');
        if (entry.isEmpty() || colon <= 0 || colon == entry.length() - 1) {
            throw invalid(value, "entry \"" + entry + "\" must be NAME:PORT" + EXAMPLE);
        }
        String name = entry.substring(0, colon).toLowerCase(Locale.ROOT);
        String port = entry.substring(colon + 1);
        if (!validHost(name)) {
            throw invalid(value, "\"" + entry.substring(0, colon)
                    + "\" is not a host name (letters, digits and hyphens, dot-separated)");
        }
        if (!PORT.matcher(port).matches() || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535) {
            throw invalid(value, "port \"" + port + "\" must be a number from 1 to 65535");
        }
        return new HttpTarget(name, Integer.parseInt(port));
    }

    private static boolean validHost(String host) {
        if (host.length() > 253) {
            return false;
        }
        String[] labels = host.split("\\.", -1);
        for (String label : labels) {
            if (!DNS_LABEL.matcher(label).matches()) {
                return false;
            }
        }
        // a numeric last label would make an IP address, not a name
        return labels.length == 1 || !labels[labels.length - 1].matches("[0-9]+");
    }

    private static InvalidLabelException invalid(String value, String problem) {
        return new InvalidLabelException("label " + KEY + "=\"" + value + "\" " + problem);
    }
}
