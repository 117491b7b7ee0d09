package cx.wip.policy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import cx.wip.proto.policy.v1.GetPlanRequest;
import cx.wip.proto.policy.v1.Operation;
import cx.wip.proto.policy.v1.PlanLimits;
import cx.wip.proto.policy.v1.PolicyServiceGrpc;
import cx.wip.proto.policy.v1.ReviewRequest;
import cx.wip.proto.policy.v1.ReviewResponse;
import cx.wip.proto.policy.v1.Usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The service over a real socket: gRPC Review and GetPlan, and health on the same port. */
class PolicyServerTest {
    private static PolicyServer server;
    private static ManagedChannel channel;
    private static PolicyServiceGrpc.PolicyServiceBlockingStub policy;

    @BeforeAll
    static void start() {
        server = PolicyServer.start(Config.just(ConfigSources.classpath("test-policy.yaml").build()).get("policy"));
        channel = ManagedChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
        policy = PolicyServiceGrpc.newBlockingStub(channel);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        server.close();
    }

    @Test
    void review_allowsWithRewrittenBodyAndWarnings() {
        ReviewResponse response = policy.review(ReviewRequest.newBuilder().setTenantId("t1").setPlan("test")
                .setOperation(Operation.CONTAINER_CREATE).setMethod("POST").setPath("/v1.41/containers/create")
                .setBody(ByteString.copyFromUtf8("{\"image\":\"x\",\"HostConfig\":{\"Memory\":4294967296}}"))
                .build());

        assertThat(response.hasAllowed()).isTrue();
        assertThat(response.getAllowed().getBody().toStringUtf8()).startsWith("{\"Image\":\"x\",\"HostConfig\":"
                + "{\"Memory\":536870912");
        assertThat(response.getAllowed().getWarningsList()).singleElement().asString().contains("limited to 512MiB");
    }

    @Test
    void review_deniesWithStatusAndMessage_includingQuota() {
        ReviewResponse privileged = policy.review(ReviewRequest.newBuilder().setPlan("test")
                .setOperation(Operation.EXEC_CREATE).setBody(ByteString.copyFromUtf8("{\"Privileged\":true}")).build());
        ReviewResponse quota = policy.review(ReviewRequest.newBuilder().setPlan("test")
                .setOperation(Operation.CONTAINER_CREATE).setBody(ByteString.copyFromUtf8("{\"Image\":\"x\"}"))
                .setUsage(Usage.newBuilder().setContainers(3)).build());

        assertThat(privileged.getDenied().getHttpStatus()).isEqualTo(403);
        assertThat(privileged.getDenied().getMessage()).contains("\"privileged: true\" is not allowed");
        assertThat(quota.getDenied().getHttpStatus()).isEqualTo(409);
    }

    @Test
    void review_refusesAnUnspecifiedOperation() {
        assertThatThrownBy(() -> policy.review(ReviewRequest.newBuilder().setPlan("test").build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
    }

    @Test
    void getPlan_returnsLimits_andNotFoundForUnknownPlans() {
        PlanLimits limits = policy.getPlan(GetPlanRequest.newBuilder().setPlan("test").build());

        assertThat(limits.getCpus()).isEqualTo(1.0);
        assertThat(limits.getMemoryBytes()).isEqualTo(512L << 20);
        assertThat(limits.getMaxContainers()).isEqualTo(3);
        assertThat(limits.getTotalMemoryBytes()).isEqualTo(1L << 30);
        assertThatThrownBy(() -> policy.getPlan(GetPlanRequest.newBuilder().setPlan("gold").build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
    }

    @Test
    void health_isServedOnTheSamePort() throws Exception {
        HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.port() + "/observe/health")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(health.statusCode()).isIn(200, 204);
    }

    @Test
    void metrics_countReviewsByDecision_andDenialsByRule_onTheSamePort() throws Exception {
        policy.review(ReviewRequest.newBuilder().setPlan("test").setOperation(Operation.CONTAINER_CREATE)
                .setBody(ByteString.copyFromUtf8("{\"Image\":\"x\",\"HostConfig\":{\"CapAdd\":[\"SYS_ADMIN\"]}}"))
                .build());

        HttpResponse<String> metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.port() + "/observe/metrics"))
                        .header("Accept", "text/plain").build(), HttpResponse.BodyHandlers.ofString());

        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body())
                .containsPattern("wip_policy_reviews_total\\{[^}]*decision=\"deny\"[^}]*operation=\"container_create\""
                        + "[^}]*} [1-9]")
                .containsPattern("wip_policy_denials_total\\{[^}]*rule=\"cap_add\"[^}]*} [1-9]")
                .containsPattern("wip_grpc_server_requests_total\\{[^}]*code=\"OK\"[^}]*method=\"Review\""
                        + "[^}]*service=\"wip.policy.v1.PolicyService\"[^}]*} [1-9]")
                .contains("wip_grpc_server_duration_seconds_count{");
    }

    @Test
    void grpcHealth_saysServing_forThePolicyService() throws InterruptedException {
        HealthCheckResponse.ServingStatus status = null;
        for (int i = 0; i < 50 && status != HealthCheckResponse.ServingStatus.SERVING; i++) {
            status = HealthGrpc.newBlockingStub(channel)
                    .check(HealthCheckRequest.newBuilder().setService(PolicyServiceGrpc.SERVICE_NAME).build())
                    .getStatus();
            Thread.sleep(100);
        }
        assertThat(status).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
    }
}
