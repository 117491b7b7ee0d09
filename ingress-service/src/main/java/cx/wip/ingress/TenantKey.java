package cx.wip.ingress;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * A tenant id in a form every backend accepts inside route names ({@code [a-z0-9]}, no separators): the id itself
 * when it already has that form, else {@code h} + 16 hex digits of its SHA-256.
 *
 * @param value the key
 */
public record TenantKey(String value) {
    private static final Pattern PLAIN = Pattern.compile("[a-z0-9]{1,40}");

    public TenantKey {
        if (!PLAIN.matcher(value).matches()) {
            throw new IllegalArgumentException("tenant key must match " + PLAIN + ": " + value);
        }
    }

    public static TenantKey of(String tenantId) {
        if (PLAIN.matcher(tenantId).matches()) {
            return new TenantKey(tenantId);
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(tenantId.getBytes(StandardCharsets.UTF_8));
            return new TenantKey("h" + HexFormat.of().formatHex(digest, 0, 8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @return the prefix of every route name of this tenant: {@code wip_<key>_} */
    public String routePrefix() {
        return "wip_" + value + "_";
    }

    /** @return the route name of one host: {@code wip_<key>_<host with dots as underscores>} */
    public String routeName(String host) {
        return routePrefix() + host.replace('.', '_');
    }

    /** @return the tenant key a route name belongs to, or null when the name is not one of ours */
    public static TenantKey ofRouteName(String name) {
        if (name == null || !name.startsWith("wip_")) {
            return null;
        }
        int end = name.indexOf('_', 4);
        String key = end < 0 ? "" : name.substring(4, end);
        return PLAIN.matcher(key).matches() ? new TenantKey(key) : null;
    }
}
