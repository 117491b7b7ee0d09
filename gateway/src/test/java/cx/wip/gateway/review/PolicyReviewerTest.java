package cx.wip.gateway.review;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.google.protobuf.ByteString;
import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.stub.StreamObserver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import cx.wip.gateway.identity.Tenant;
import cx.wip.gateway.quota.Usage;
import cx.wip.proto.policy.v1.Allowed;
import cx.wip.proto.policy.v1.Denied;
import cx.wip.proto.policy.v1.GetPlanRequest;
import cx.wip.proto.policy.v1.PolicyServiceGrpc;
import cx.wip.proto.policy.v1.ReviewRequest;
import cx.wip.proto.policy.v1.ReviewResponse;
import cx.wip.telemetry.GrpcClientConfig;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The reviewer against a gRPC server speaking wip.policy.v1 whose answers each test chooses (the real
 * policy-service is exercised end to end in policy-service's ITs).
 */
class PolicyReviewerTest {
    private static final Tenant ALICE = new Tenant("t-1", "alice", "free");
    private final List<ReviewRequest> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger planCalls = new AtomicInteger();
    private volatile ReviewResponse answer = ReviewResponse.getDefaultInstance();
    private volatile long delayMillis;
    private volatile int failuresLeft;
    private Server server;

    @BeforeEach
    void start() throws IOException {
        server = Grpc.newServerBuilderForPort(0, InsecureServerCredentials.create())
                .addService(new PolicyServiceGrpc.PolicyServiceImplBase() {
                    @Override
                    public void review(ReviewRequest request, StreamObserver<ReviewResponse> responses) {
                        received.add(request);
                        sleep(delayMillis);
                        if (failuresLeft-- > 0) {
                            responses.onError(io.grpc.Status.UNAVAILABLE.withDescription("connection reset")
                                    .asRuntimeException());
                            return;
                        }
                        responses.onNext(answer);
                        responses.onCompleted();
                    }

                    @Override
                    public void getPlan(GetPlanRequest request,
                                        StreamObserver<cx.wip.proto.policy.v1.PlanLimits> responses) {
                        planCalls.incrementAndGet();
                        responses.onNext(cx.wip.proto.policy.v1.PlanLimits.newBuilder().setName(request.getPlan())
                                .setCpus(2).setMemoryBytes(1 << 30).setMaxContainers(5).setTotalMemoryBytes(4L << 30)
                                .build());
                        responses.onCompleted();
                    }
                }).build().start();
    }

    @AfterEach
    void stop() throws InterruptedException {
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    private PolicyReviewer reviewer(int port, Duration timeout) {
        return new PolicyReviewer(new PolicyReviewer.Settings(GrpcClientConfig.of("127.0.0.1:" + port, timeout),
                Duration.ofMinutes(1)));
    }

    private PolicyReviewer reviewer() {
        return reviewer(server.getPort(), Duration.ofSeconds(2));
    }

    @Test
    void allow_forwardsThePolicysBodyAndWarnings_andSendsTheWholeRequest() {
        answer = ReviewResponse.newBuilder().setAllowed(Allowed.newBuilder()
                .setBody(ByteString.copyFromUtf8("{\"Image\":\"x\"}")).addWarnings("wip: clamped")).build();
        try (PolicyReviewer reviewer = reviewer()) {
            Review review = reviewer.review(ALICE, Operation.CONTAINER_CREATE, "POST", "/v1.41/containers/create",
                    "name=web", "{\"image\":\"x\"}".getBytes(StandardCharsets.UTF_8), Optional.empty());

            assertThat(review).isInstanceOfSatisfying(Review.Allow.class, allow -> {
                assertThat(new String(allow.body(), StandardCharsets.UTF_8)).isEqualTo("{\"Image\":\"x\"}");
                assertThat(allow.warnings()).containsExactly("wip: clamped");
            });
        }
        ReviewRequest sent = received.getFirst();
        assertThat(sent.getTenantId()).isEqualTo("t-1");
        assertThat(sent.getPlan()).isEqualTo("free");
        assertThat(sent.getOperation()).isEqualTo(cx.wip.proto.policy.v1.Operation.CONTAINER_CREATE);
        assertThat(sent.getPath()).isEqualTo("/v1.41/containers/create");
        assertThat(sent.getRawQuery()).isEqualTo("name=web");
        assertThat(sent.getBody().toStringUtf8()).isEqualTo("{\"image\":\"x\"}");
        assertThat(sent.hasUsage()).isFalse();
    }

    @Test
    void deny_keepsThePolicysStatusAndMessage() {
        answer = ReviewResponse.newBuilder().setDenied(Denied.newBuilder().setHttpStatus(403)
                .setMessage("wip: \"privileged: true\" is not allowed")).build();
        try (PolicyReviewer reviewer = reviewer()) {
            assertThat(reviewer.review(ALICE, Operation.EXEC_CREATE, "POST", "/containers/x/exec", "", new byte[2],
                    Optional.empty()))
                    .isEqualTo(new Review.Deny(403, "wip: \"privileged: true\" is not allowed"));
        }
    }

    @Test
    void queryOnlyOperations_sendNoBody_andKeepTheClientsBody() {
        answer = ReviewResponse.newBuilder().setAllowed(Allowed.getDefaultInstance()).build();
        byte[] context = {1, 2, 3};
        try (PolicyReviewer reviewer = reviewer()) {
            Review review = reviewer.review(ALICE, Operation.BUILD, "POST", "/build", "t=x", context, Optional.empty());

            assertThat(((Review.Allow) review).body()).isSameAs(context);
        }
        assertThat(received.getFirst().getBody().isEmpty()).isTrue();
        assertThat(received.getFirst().getRawQuery()).isEqualTo("t=x");
    }

    @Test
    void unreachablePolicy_failsClosedWith503() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress("127.0.0.1", 0));
            closedPort = socket.getLocalPort();
        }
        try (PolicyReviewer reviewer = reviewer(closedPort, Duration.ofSeconds(2))) {
            Review review = reviewer.review(ALICE, Operation.CONTAINER_CREATE, "POST", "/containers/create", "",
                    "{}".getBytes(StandardCharsets.UTF_8), Optional.empty());

            assertThat(review).isInstanceOfSatisfying(Review.Deny.class, deny -> {
                assertThat(deny.status()).isEqualTo(503);
                assertThat(deny.message()).startsWith("wip: the policy service is unreachable")
                        .contains("reads keep working");
            });
        }
    }

    @Test
    void aFailedConnection_isAskedAgainOnce_thenFailsClosed() {
        answer = ReviewResponse.newBuilder().setAllowed(Allowed.getDefaultInstance()).build();
        failuresLeft = 1;
        try (PolicyReviewer reviewer = reviewer()) {
            assertThat(reviewer.review(ALICE, Operation.EXEC_CREATE, "POST", "/x", "", new byte[0], Optional.empty()))
                    .isInstanceOf(Review.Allow.class);
            failuresLeft = 2;
            assertThat(reviewer.review(ALICE, Operation.EXEC_CREATE, "POST", "/x", "", new byte[0], Optional.empty()))
                    .isInstanceOfSatisfying(Review.Deny.class, deny -> assertThat(deny.status()).isEqualTo(503));
        }
        assertThat(received).hasSize(4);
    }

    @Test
    void slowPolicy_failsClosedWith503_atTheDeadline() {
        delayMillis = 6000;
        try (PolicyReviewer reviewer = reviewer(server.getPort(), Duration.ofMillis(200))) {
            long start = System.nanoTime();
            Review review = reviewer.review(ALICE, Operation.VOLUME_CREATE, "POST", "/volumes/create", "",
                    "{}".getBytes(StandardCharsets.UTF_8), Optional.empty());

            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(4000));
            assertThat(review).isInstanceOfSatisfying(Review.Deny.class, deny -> {
                assertThat(deny.status()).isEqualTo(503);
                assertThat(deny.message()).contains("did not answer in time");
            });
        }
    }

    @Test
    void usage_isSentAsGiven_forCreateAndUpdate() {
        answer = ReviewResponse.newBuilder().setAllowed(Allowed.getDefaultInstance()).build();
        try (PolicyReviewer reviewer = reviewer()) {
            assertThat(reviewer.countsUsage()).isTrue();
            reviewer.review(ALICE, Operation.CONTAINER_CREATE, "POST", "/containers/create", "", new byte[0],
                    Optional.of(new Usage(4, 123)));
            reviewer.review(ALICE, Operation.CONTAINER_UPDATE, "POST", "/containers/x/update", "", new byte[0],
                    Optional.of(new Usage(4, 23)));
            reviewer.review(ALICE, Operation.EXEC_CREATE, "POST", "/containers/x/exec", "", new byte[0],
                    Optional.empty());
        }
        assertThat(received.get(0).getUsage().getContainers()).isEqualTo(4);
        assertThat(received.get(0).getUsage().getMemoryBytes()).isEqualTo(123);
        assertThat(received.get(1).getUsage().getMemoryBytes()).isEqualTo(23);
        assertThat(received.get(2).hasUsage()).isFalse();
    }

    @Test
    void planLimits_areAskedOnce_thenCached() {
        try (PolicyReviewer reviewer = reviewer()) {
            Optional<PlanLimits> first = reviewer.limits(ALICE);
            Optional<PlanLimits> second = reviewer.limits(ALICE);

            assertThat(first).contains(new PlanLimits("free", 2, 1 << 30, 5, 4L << 30, 0, 0, 0));
            assertThat(second).isEqualTo(first);
        }
        assertThat(planCalls.get()).isEqualTo(1);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
