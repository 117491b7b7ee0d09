package cx.wip.gateway.identity;

import java.util.Objects;

/**
 * The tenant a request belongs to, as the gateway knows it after authentication.
 *
 * @param id   stable tenant id (logs carry it, never the credential)
 * @param slug public slug used in hostnames
 * @param plan plan name, passed to policy review
 */
public record Tenant(String id, String slug, String plan) {
    public Tenant {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(slug, "slug");
        Objects.requireNonNull(plan, "plan");
    }
}
