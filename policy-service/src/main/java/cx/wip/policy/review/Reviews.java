package cx.wip.policy.review;

import java.util.Arrays;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

import cx.wip.policy.plan.Plan;
import cx.wip.policy.plan.Plans;

/**
 * Reviews requests against the tenant's plan. The one place where a {@link PolicyException} becomes a denial.
 * <p>
 * A body is reviewed twice: the rules' output (binds turned into volumes, clamps, defaults, stripped labels) is a
 * new body the daemon will parse, so it is read again and must pass the same rules unchanged — a fixed point.
 * A rewrite that produced something the rules refuse, or that the rules would change again, is denied: a bind
 * mount's VolumeOptions once survived its rewrite into a volume and mounted the host's root.
 */
public final class Reviews {
    private static final Logger LOGGER = Logger.getLogger(Reviews.class.getName());

    private final Plans plans;

    public Reviews(Plans plans) {
        this.plans = plans;
    }

    public Verdict review(Request request) {
        Plan plan = plans.plan(request.plan()).orElse(null);
        if (plan == null) {
            return new Verdict.Deny(403, "wip: plan \"" + request.plan() + "\" is unknown to the policy service — "
                    + "ask the operator to configure it", "unknown_plan");
        }
        try {
            return switch (request.operation()) {
                case BUILD -> {
                    QueryRules.build(request.rawQuery());
                    yield new Verdict.Allow(new byte[0], List.of());
                }
                case IMAGE_PULL -> {
                    QueryRules.imagePull(request.rawQuery(), plan);
                    yield new Verdict.Allow(new byte[0], List.of());
                }
                default -> settled(request, plan);
            };
        } catch (PolicyException e) {
            return deny(e);
        }
    }

    private static Verdict settled(Request request, Plan plan) {
        Context first = new Context(plan, request.usage());
        byte[] body = BodyRules.apply(request.operation(), request.body(), first);
        byte[] again;
        try {
            again = BodyRules.apply(request.operation(), body, new Context(plan, request.usage()));
        } catch (PolicyException e) {
            LOGGER.log(Level.WARNING, () -> "the rules refused their own " + request.operation() + " output ("
                    + e.rule() + "): " + oneLine(e.getMessage()));
            return deny(e);
        }
        if (!Arrays.equals(body, again)) {
            LOGGER.log(Level.SEVERE, () -> "the rules changed their own " + request.operation() + " output again ("
                    + body.length + " → " + again.length + " bytes); denied — a rule is not idempotent");
            return new Verdict.Deny(500, "wip: the policy could not settle on a safe body for this "
                    + BodyRules.what(request.operation()) + " — nothing was sent to your daemon; please report "
                    + "this to the operator", "unsettled");
        }
        return new Verdict.Allow(body, first.warnings());
    }

    private static Verdict deny(PolicyException e) {
        return new Verdict.Deny(e.status(), e.getMessage(), e.rule());
    }

    /** Messages quote tenant values: keep a log record on one line. */
    private static String oneLine(String message) {
        return message.replaceAll("\\p{Cntrl}", "?");
    }
}
