package cx.wip.vm.boot;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import cx.wip.proto.policy.v1.GetPlanRequest;
import cx.wip.proto.policy.v1.PlanLimits;
import cx.wip.proto.policy.v1.PolicyServiceGrpc;
import cx.wip.telemetry.GrpcClientConfig;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Engines are sized from policy-service's one definition of plans (issue 13), over real gRPC. */
class PolicyPlansTest {
    private final AtomicBoolean up = new AtomicBoolean(true);
    private Server policy;
    private PolicyPlans plans;

    @BeforeEach
    void start() throws Exception {
        policy = Grpc.newServerBuilderForPort(0, InsecureServerCredentials.create())
                .addService(new PolicyServiceGrpc.PolicyServiceImplBase() {
                    @Override
                    public void getPlan(GetPlanRequest request, StreamObserver<PlanLimits> responses) {
                        if (!up.get()) {
                            responses.onError(Status.UNAVAILABLE.asRuntimeException());
                        } else if (!request.getPlan().equals("free")) {
                            responses.onError(Status.NOT_FOUND.asRuntimeException());
                        } else {
                            responses.onNext(PlanLimits.newBuilder().setName("free").setEngineCpus(1)
                                    .setEngineMemoryBytes(1L << 30).setEngineDiskBytes(5L << 30)
                                    .setIdleAfterSeconds(900).setSleepWithApps(true).build());
                            responses.onCompleted();
                        }
                    }
                }).build().start();
        plans = new PolicyPlans(new PolicyPlans.Settings(GrpcClientConfig.of("127.0.0.1:" + policy.getPort(),
                Duration.ofSeconds(2)), Duration.ZERO));
    }

    @AfterEach
    void stop() {
        plans.close();
        policy.shutdownNow();
    }

    @Test
    void sizesTheEngineFromPolicyServicesPlan() {
        assertThat(plans.plan("free")).isEqualTo(new Plan("free", 1L << 30, 1, 5L << 30, Duration.ofMinutes(15), true));
    }

    @Test
    void anUnknownPlanFailsTheBootWithAMessage() {
        assertThatThrownBy(() -> plans.plan("gold")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("plan \"gold\" is not defined in policy-service's plans");
    }

    @Test
    void policyServiceDown_keepsTheLastKnownPlan_andSaysSoForAPlanNeverRead() {
        Plan free = plans.plan("free");
        up.set(false);
        assertThat(plans.plan("free")).isEqualTo(free);
        assertThatThrownBy(() -> plans.plan("pro")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("policy-service did not answer");
    }
}
