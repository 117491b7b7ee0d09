package cx.wip.policy.review;

import java.util.Objects;
import java.util.Optional;

/**
 * A request under review.
 *
 * @param plan      the tenant's plan name
 * @param operation what the request does
 * @param rawQuery  the query as the client sent it (may be empty)
 * @param body      the body as the client sent it (JSON for body-reviewed operations)
 * @param usage     what the tenant uses now, when the gateway could tell
 */
public record Request(String plan, Operation operation, String rawQuery, byte[] body, Optional<Usage> usage) {
    public Request {
        Objects.requireNonNull(plan, "plan");
        Objects.requireNonNull(operation, "operation");
        rawQuery = rawQuery == null ? "" : rawQuery;
        body = body == null ? new byte[0] : body;
        usage = usage == null ? Optional.empty() : usage;
    }

    /** The operations under review. */
    public enum Operation {
        CONTAINER_CREATE, CONTAINER_UPDATE, EXEC_CREATE, NETWORK_CREATE, NETWORK_CONNECT, VOLUME_CREATE, BUILD,
        IMAGE_PULL
    }
}
