package cx.wip.policy.review;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

import static org.assertj.core.api.Assertions.assertThat;

import cx.wip.gateway.review.ForwardedBodyCheck;

/**
 * Generated hostile bodies for every body-reviewed operation ({@link HostileBodies}). Whatever the mix, what the
 * policy allows is in the safe set as an independent oracle sees it ({@link SafeSet}), and it is a fixed point:
 * reviewing the forwarded body again allows it unchanged; and the gateway's independent last check passes it. No generated body may leave the policy unsettled (500).
 */
class ReviewedBodiesPropertiesTest {

    @Provide
    Arbitrary<Request.Operation> bodyOperations() {
        // create has by far the most shapes: it gets half the tries
        return Arbitraries.frequency(Tuple.of(5, Request.Operation.CONTAINER_CREATE),
                Tuple.of(1, Request.Operation.CONTAINER_UPDATE), Tuple.of(1, Request.Operation.EXEC_CREATE),
                Tuple.of(1, Request.Operation.VOLUME_CREATE), Tuple.of(1, Request.Operation.NETWORK_CREATE),
                Tuple.of(1, Request.Operation.NETWORK_CONNECT));
    }

    @Property(tries = 1000)
    void allowedBody_isInTheSafeSet(@ForAll("bodyOperations") Request.Operation operation, @ForAll long seed,
                                    @ForAll boolean withUsage) {
        String body = new HostileBodies(seed).body(operation);
        Verdict verdict = review(operation, body.getBytes(StandardCharsets.UTF_8), withUsage);
        String decision = verdict instanceof Verdict.Allow ? "allow" : "deny";
        Statistics.label("verdict").collect(decision).coverage(check -> check.check("allow").percentage(p -> p > 20));
        if (operation == Request.Operation.CONTAINER_CREATE) {
            Statistics.label("create").collect(decision).coverage(check -> check.check("allow").percentage(p -> p > 10));
        }

        if (verdict instanceof Verdict.Deny deny) {
            assertThat(deny.status()).as(body + " → " + deny.message()).isNotEqualTo(500);
            assertThat(deny.message()).startsWith("wip: ");
            return;
        }
        byte[] out = ((Verdict.Allow) verdict).body();
        assertThat(SafeSet.violations(operation, out)).as(body + "\n→ " + new String(out, StandardCharsets.UTF_8))
                .isEmpty();
        // and the gateway's own last check, which refuses to forward a body policy should never have allowed,
        // agrees: no false refusal of anything the policy lets through
        assertThat(ForwardedBodyCheck.unsafe(cx.wip.gateway.review.Operation.valueOf(operation.name()), out))
                .as(body + "\n→ " + new String(out, StandardCharsets.UTF_8)).isEmpty();
    }

    @Property(tries = 500)
    void allowedBody_isAFixedPoint(@ForAll("bodyOperations") Request.Operation operation, @ForAll long seed,
                                   @ForAll boolean withUsage) {
        String body = new HostileBodies(seed).body(operation);
        if (!(review(operation, body.getBytes(StandardCharsets.UTF_8), withUsage) instanceof Verdict.Allow allow)) {
            return;
        }

        Verdict again = review(operation, allow.body(), withUsage);

        assertThat(again).as(body).isInstanceOf(Verdict.Allow.class);
        assertThat(new String(((Verdict.Allow) again).body(), StandardCharsets.UTF_8)).as(body)
                .isEqualTo(new String(allow.body(), StandardCharsets.UTF_8));
    }

    /** With usage, the tenant has one small container: quota never refuses what the plan allows per container. */
    private static Verdict review(Request.Operation operation, byte[] body, boolean withUsage) {
        return TestPlans.REVIEWS.review(new Request("test", operation, "", body,
                withUsage ? Optional.of(new Usage(1, 128L << 20)) : Optional.empty()));
    }
}
