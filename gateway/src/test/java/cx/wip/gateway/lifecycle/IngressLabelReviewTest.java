package cx.wip.gateway.lifecycle;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import cx.wip.gateway.identity.Tenant;
import cx.wip.gateway.review.Operation;
import cx.wip.gateway.review.Review;
import cx.wip.gateway.review.Reviewer;
import cx.wip.proto.ingress.v1.CheckLabelResponse;
import cx.wip.proto.ingress.v1.IngressGrpc;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class IngressLabelReviewTest {
    private static final Tenant ALICE = new Tenant("t-alice", "alice", "free");
    private static final Reviewer ALLOW_AS_IS = (tenant, operation, method, path, query, body, usage) ->
            new Review.Allow(body, List.of("policy warning"));

    private FakeIngress ingress;

    @AfterEach
    void stop() {
        ingress.close();
    }

    private Reviewer review(Reviewer policy) {
        ingress = new FakeIngress(value -> value.contains(":")
                ? CheckLabelResponse.newBuilder().setAllowed(true).addUrls("https://web.alice.wip.localhost").build()
                : CheckLabelResponse.newBuilder().setAllowed(false).setMessage("label com.wip.http=\"" + value
                        + "\" entry \"" + value + "\" must be NAME:PORT").build(), false).start();
        return new IngressLabelReview(policy, IngressGrpc.newBlockingStub(ingress.channel()), Duration.ofSeconds(2));
    }

    private static byte[] body(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }

    private static Review create(Reviewer reviewer, String json) {
        return reviewer.review(ALICE, Operation.CONTAINER_CREATE, "POST", "/v1.41/containers/create", "", body(json),
                Optional.empty());
    }

    @Test
    void invalidLabel_isDenied400_withIngressOneLineMessage() {
        final Review review = create(review(ALLOW_AS_IS), "{\"Image\":\"x\",\"Labels\":{\"com.wip.http\":\"web\"}}");

        assertThat(review).isEqualTo(new Review.Deny(400, "label com.wip.http=\"web\" entry \"web\" must be NAME:PORT"));
        assertThat(ingress.checks.get(0).getTenant().getSlug()).isEqualTo("alice");
    }

    @Test
    void validLabel_keepsThePolicysAnswer() {
        final byte[] json = body("{\"Labels\":{\"com.wip.http\":\"web:80\"}}");

        final Review review = review(ALLOW_AS_IS).review(ALICE, Operation.CONTAINER_CREATE, "POST", "/containers/create",
                                                          "", json, Optional.empty());

        assertThat(review).isInstanceOfSatisfying(Review.Allow.class, allow -> {
            assertThat(allow.body()).isEqualTo(json);
            assertThat(allow.warnings()).containsExactly("policy warning");
        });
    }

    @Test
    void labelsKey_isMatchedLikeTheDaemonMatchesIt_caseInsensitiveLastWins() {
        final Review review = create(review(ALLOW_AS_IS),
                "{\"Labels\":{\"com.wip.http\":\"web:80\"},\"labels\":{\"com.wip.http\":\"bad\"}}");

        assertThat(review).isInstanceOf(Review.Deny.class);
        assertThat(ingress.checks).singleElement().satisfies(c -> assertThat(c.getValue()).isEqualTo("bad"));
    }

    @Test
    void bodyWithoutTheLabel_orOtherOperations_makeNoCall() {
        final Reviewer reviewer = review(ALLOW_AS_IS);

        assertThat(create(reviewer, "{\"Labels\":{\"other\":\"x\"}}")).isInstanceOf(Review.Allow.class);
        assertThat(reviewer.review(ALICE, Operation.CONTAINER_UPDATE, "POST", "/containers/x/update", "",
                                   body("{\"Labels\":{\"com.wip.http\":\"bad\"}}"), Optional.empty()))
                .isInstanceOf(Review.Allow.class);
        assertThat(ingress.checks).isEmpty();
    }

    @Test
    void policyDenial_standsWithoutAskingIngress() {
        final Review.Deny deny = new Review.Deny(403, "privileged containers are not allowed");

        final Review review = create(review((t, o, m, p, q, b, u) -> deny), "{\"Labels\":{\"com.wip.http\":\"bad\"}}");

        assertThat(review).isEqualTo(deny);
        assertThat(ingress.checks).isEmpty();
    }

    @Test
    void labelIsReadFromThePolicysRewrittenBody() {
        final Reviewer rewriting = (t, o, m, p, q, b, u) -> new Review.Allow(body("{\"Labels\":{\"com.wip.http\":\"bad\"}}"),
                                                                          List.of());

        assertThat(create(review(rewriting), "{\"Labels\":{\"com.wip.http\":\"web:80\"}}")).isInstanceOf(Review.Deny.class);
    }

    @Test
    void unreachableIngress_failsClosedWith503() {
        review(ALLOW_AS_IS);
        final Reviewer offline = new IngressLabelReview(ALLOW_AS_IS, IngressGrpc.newBlockingStub(
                FakeIngress.nobodyListens()), Duration.ofMillis(300));

        assertThat(create(offline, "{\"Labels\":{\"com.wip.http\":\"web:80\"}}"))
                .isEqualTo(new Review.Deny(503, IngressLabelReview.UNAVAILABLE));
    }
}
