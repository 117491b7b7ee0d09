package cx.wip.gateway.review;

import java.util.List;
import java.util.Optional;

import cx.wip.gateway.identity.Tenant;
import cx.wip.gateway.quota.Usage;

/**
 * Development mode without policy-service: bodies pass unchanged. Only for a single trusted user on their own daemon;
 * a multi-tenant gateway is configured with policy-service, and then fails closed when it is unavailable.
 */
public final class Unreviewed implements Reviewer {
    @Override
    public Review review(Tenant tenant, Operation operation, String method, String path, String rawQuery, byte[] body,
                         Optional<Usage> usage) {
        return new Review.Allow(body, List.of());
    }
}
