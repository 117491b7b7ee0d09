package cx.wip.gateway.lifecycle;

import java.io.IOException;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import cx.wip.gateway.identity.Tenant;
import cx.wip.gateway.quota.Usage;
import cx.wip.gateway.review.Operation;
import cx.wip.gateway.review.Review;
import cx.wip.gateway.review.Reviewer;
import cx.wip.proto.ingress.v1.CheckLabelRequest;
import cx.wip.proto.ingress.v1.CheckLabelResponse;
import cx.wip.proto.ingress.v1.IngressGrpc;

import io.grpc.StatusRuntimeException;

/**
 * Refuses {@code docker create} when its {@code com.wip.http} label cannot become a route: bad grammar, another
 * tenant's host, a custom domain without DNS proof (the message says which record to publish). Runs after the policy,
 * on the body the policy allowed; fails closed (503) when ingress-service cannot answer.
 */
final class IngressLabelReview implements Reviewer {
    static final String LABEL = "com.wip.http";
    static final String UNAVAILABLE = "wip ingress service unavailable: cannot check the com.wip.http label; retry "
            + "in a few seconds";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final java.util.logging.Logger LOGGER =
            java.util.logging.Logger.getLogger(IngressLabelReview.class.getName());

    private final Reviewer policy;
    private final IngressGrpc.IngressBlockingStub ingress;
    private final Duration timeout;

    IngressLabelReview(Reviewer policy, IngressGrpc.IngressBlockingStub ingress, Duration timeout) {
        this.policy = policy;
        this.ingress = ingress;
        this.timeout = timeout;
    }

    @Override
    public Review review(Tenant tenant, Operation operation, String method, String path, String rawQuery, byte[] body,
                         Optional<Usage> usage) {
        final Review review = policy.review(tenant, operation, method, path, rawQuery, body, usage);
        if (operation != Operation.CONTAINER_CREATE || !(review instanceof Review.Allow allow)) {
            return review;
        }
        final String label = label(allow.body() != null ? allow.body() : body);
        if (label == null) {
            return review;
        }
        final CheckLabelResponse check;
        try {
            check = ingress.withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS).checkLabel(CheckLabelRequest
                    .newBuilder().setTenant(IngressReporter.tenant(tenant)).setValue(label).build());
        } catch (StatusRuntimeException e) {
            LOGGER.warning("ingress label check failed: " + e.getStatus());
            return new Review.Deny(503, UNAVAILABLE);
        }
        return check.getAllowed() ? review : new Review.Deny(400, check.getMessage());
    }

    /** The policy behind counts the quotas; this check only reads labels. */
    @Override
    public boolean countsUsage() {
        return policy.countsUsage();
    }

    /**
     * @return the label's value, or null when the body sets none. Keys match the way the daemon matches them
     *         (case-insensitively, the last one wins); label names themselves are case-sensitive.
     */
    static String label(byte[] body) {
        if (body == null || body.length == 0) {
            return null;
        }
        final JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (IOException notJson) {
            return null;
        }
        JsonNode labels = null;
        for (Iterator<Map.Entry<String, JsonNode>> it = root.properties().iterator(); it.hasNext();) {
            final Map.Entry<String, JsonNode> field = it.next();
            if (field.getKey().equalsIgnoreCase("Labels")) {
                labels = field.getValue();
            }
        }
        if (labels == null || !labels.has(LABEL)) {
            return null;
        }
        return labels.get(LABEL).asText();
    }
}
