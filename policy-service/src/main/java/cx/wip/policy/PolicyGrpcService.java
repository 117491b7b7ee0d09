package cx.wip.policy;

import java.util.Optional;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;

import cx.wip.policy.plan.Plan;
import cx.wip.policy.plan.Plans;
import cx.wip.policy.review.Request;
import cx.wip.policy.review.Reviews;
import cx.wip.policy.review.Usage;
import cx.wip.policy.review.Verdict;
import cx.wip.proto.policy.v1.Allowed;
import cx.wip.proto.policy.v1.Denied;
import cx.wip.proto.policy.v1.GetPlanRequest;
import cx.wip.proto.policy.v1.PlanLimits;
import cx.wip.proto.policy.v1.PolicyServiceGrpc;
import cx.wip.proto.policy.v1.ReviewRequest;
import cx.wip.proto.policy.v1.ReviewResponse;

/** The gRPC face of the policy: translates proto ↔ domain, nothing else. */
final class PolicyGrpcService extends PolicyServiceGrpc.PolicyServiceImplBase {
    private final Reviews reviews;
    private final Plans plans;
    private final ReviewMetrics metrics = new ReviewMetrics();

    PolicyGrpcService(Plans plans) {
        this.plans = plans;
        this.reviews = new Reviews(plans);
    }

    @Override
    public void review(ReviewRequest request, StreamObserver<ReviewResponse> responses) {
        Optional<Request.Operation> operation = operation(request.getOperation());
        if (operation.isEmpty()) {
            responses.onError(Status.INVALID_ARGUMENT.withDescription("operation " + request.getOperation()
                    + " is not reviewed").asRuntimeException());
            return;
        }
        Verdict verdict = reviews.review(new Request(request.getPlan(), operation.get(), request.getRawQuery(),
                request.getBody().toByteArray(), request.hasUsage()
                ? Optional.of(new Usage(request.getUsage().getContainers(), request.getUsage().getMemoryBytes()))
                : Optional.empty()));
        metrics.record(operation.get(), verdict);
        responses.onNext(switch (verdict) {
            case Verdict.Allow allow -> ReviewResponse.newBuilder().setAllowed(Allowed.newBuilder()
                    .setBody(ByteString.copyFrom(allow.body())).addAllWarnings(allow.warnings())).build();
            case Verdict.Deny deny -> ReviewResponse.newBuilder().setDenied(Denied.newBuilder()
                    .setHttpStatus(deny.status()).setMessage(deny.message())).build();
        });
        responses.onCompleted();
    }

    @Override
    public void getPlan(GetPlanRequest request, StreamObserver<PlanLimits> responses) {
        Optional<Plan> plan = plans.plan(request.getPlan());
        if (plan.isEmpty()) {
            responses.onError(Status.NOT_FOUND.withDescription("plan " + request.getPlan() + " is unknown")
                    .asRuntimeException());
            return;
        }
        Plan p = plan.get();
        responses.onNext(PlanLimits.newBuilder().setName(p.name()).setCpus(p.cpus()).setMemoryBytes(p.memoryBytes())
                .setMaxContainers(p.maxContainers()).setTotalMemoryBytes(p.totalMemoryBytes())
                .setEngineCpus(p.engine().cpus()).setEngineMemoryBytes(p.engine().memoryBytes())
                .setEngineDiskBytes(p.engine().diskBytes()).setIdleAfterSeconds(p.engine().idleAfter().toSeconds())
                .setSleepWithApps(p.engine().sleepWithApps()).build());
        responses.onCompleted();
    }

    private static Optional<Request.Operation> operation(cx.wip.proto.policy.v1.Operation operation) {
        return switch (operation) {
            case CONTAINER_CREATE -> Optional.of(Request.Operation.CONTAINER_CREATE);
            case CONTAINER_UPDATE -> Optional.of(Request.Operation.CONTAINER_UPDATE);
            case EXEC_CREATE -> Optional.of(Request.Operation.EXEC_CREATE);
            case NETWORK_CREATE -> Optional.of(Request.Operation.NETWORK_CREATE);
            case NETWORK_CONNECT -> Optional.of(Request.Operation.NETWORK_CONNECT);
            case VOLUME_CREATE -> Optional.of(Request.Operation.VOLUME_CREATE);
            case BUILD -> Optional.of(Request.Operation.BUILD);
            case IMAGE_PULL -> Optional.of(Request.Operation.IMAGE_PULL);
            case OPERATION_UNSPECIFIED, UNRECOGNIZED -> Optional.empty();
        };
    }
}
