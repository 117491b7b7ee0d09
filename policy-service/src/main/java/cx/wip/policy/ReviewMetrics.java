package cx.wip.policy;

import java.util.Locale;

import cx.wip.policy.review.Request;
import cx.wip.policy.review.Verdict;
import cx.wip.telemetry.LabelledCounter;

/**
 * {@code wip_policy_reviews_total{operation,decision}} and {@code wip_policy_denials_total{rule}}; the rule is the
 * refusing rule's fixed id (a setting name, {@code invalid_body}, {@code quota}, {@code unknown_plan}), never the
 * message or a value from the body.
 */
final class ReviewMetrics {
    private final LabelledCounter reviews = LabelledCounter.create("wip_policy_reviews",
            "reviews by operation and decision", "operation", "decision");
    private final LabelledCounter denials = LabelledCounter.create("wip_policy_denials",
            "denied reviews by the rule that refused", "rule");

    void record(Request.Operation operation, Verdict verdict) {
        String op = operation.name().toLowerCase(Locale.ROOT);
        switch (verdict) {
            case Verdict.Allow ignored -> reviews.increment(op, "allow");
            case Verdict.Deny deny -> {
                reviews.increment(op, "deny");
                denials.increment(deny.rule());
            }
        }
    }
}
