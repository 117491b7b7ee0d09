package cx.wip.gateway.review;

import java.util.Optional;

import cx.wip.gateway.identity.Tenant;
import cx.wip.gateway.quota.Usage;

/** Reviews a request body before it reaches the tenant's daemon. Fails closed: unavailable → 503. */
public interface Reviewer {
    /**
     * @param rawQuery the query string as the client sent it (may be empty)
     * @param body     the whole request body (bodies reviewed here are small JSON documents)
     * @param usage    what the tenant uses now, on container create and update when {@link #countsUsage()} (read under
     *                 the tenant's lock; for an update without the updated container's memory); empty otherwise
     */
    Review review(Tenant tenant, Operation operation, String method, String path, String rawQuery, byte[] body,
                  Optional<Usage> usage);

    /**
     * Whether this reviewer checks the plan's quotas and so needs the usage on container create and update: the
     * gateway then reads it for each of them, serialises them per tenant, and refuses them when it cannot.
     */
    default boolean countsUsage() {
        return false;
    }
}
