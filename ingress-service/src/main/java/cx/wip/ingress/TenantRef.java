package cx.wip.ingress;

import java.net.URI;
import java.util.Objects;

/**
 * A tenant as ingress-service needs it.
 *
 * @param id            stable tenant id
 * @param slug          public slug in hostnames
 * @param daemon        the tenant's Docker daemon ({@code unix:///…} or {@code tcp://…})
 * @param publicAddress address where the route backend reaches the tenant's published ports
 * @param dedicated     true when every labelled container on the daemon is the tenant's
 */
public record TenantRef(String id, String slug, URI daemon, String publicAddress, boolean dedicated) {
    public TenantRef {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(daemon, "daemon");
        if (id.isBlank() || !slug.matches("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?")) {
            throw new InvalidLabelException("tenant needs an id and a DNS-label slug, got id=" + id + " slug=" + slug);
        }
        if (publicAddress.isBlank()) {
            throw new InvalidLabelException("tenant " + id + " has no public address");
        }
    }

    public TenantKey key() {
        return TenantKey.of(id);
    }
}
