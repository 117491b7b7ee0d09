package cx.wip.gateway.review;

import cx.wip.gateway.identity.Tenant;

/** Reviews a request body before it reaches the tenant's daemon. Fails closed: unavailable → 503. */
public interface Reviewer {
    /**
     * @param rawQuery the query string as the client sent it (may be empty)
     * @param body     the whole request body (bodies reviewed here are small JSON documents)
     */
    Review review(Tenant tenant, Operation operation, String method, String path, String rawQuery, byte[] body);
}
