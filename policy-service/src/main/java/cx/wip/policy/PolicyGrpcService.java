package cx.wip.policy;

import java.util.Optional;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
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
import cx.wip.telemetry.GrpcUnary;

/** The gRPC face of the policy: translates proto ↔ domain, nothing else. */
final class PolicyGrpcService extends PolicyServiceGrpc.PolicyServiceImplBase {
    private static final GrpcUnary UNARY = GrpcUnary.of("policy-service", PolicyGrpcService::status);

    private final Reviews reviews;
    private final Plans plans;
    private final ReviewMetrics metrics = new ReviewMetrics();

    PolicyGrpcService(Plans plans) {
        this.plans = plans;
        this.reviews = new Reviews(plans);
    }

    @Override
    public void review(ReviewRequest request, StreamObserver<ReviewResponse> responses) {
        UNARY.answer(responses, () -> {
            Request.Operation operation = operation(request.getOperation())
                    .orElseThrow(() -> new NotReviewed("operation " + request.getOperation() + " is not reviewed"));
            Verdict verdict = reviews.review(new Request(request.getPlan(), operation, request.getRawQuery(),
                    request.getBody().toByteArray(), request.hasUsage()
                    ? Optional.of(new Usage(request.getUsage().getContainers(), request.getUsage().getMemoryBytes()))
                    : Optional.empty()));
            metrics.record(operation, verdict);
            return switch (verdict) {
                case Verdict.Allow allow -> ReviewResponse.newBuilder().setAllowed(Allowed.newBuilder()
                        .setBody(ByteString.copyFrom(allow.body())).addAllWarnings(allow.warnings())).build();
                case Verdict.Deny deny -> ReviewResponse.newBuilder().setDenied(Denied.newBuilder()
                        .setHttpStatus(deny.status()).setMessage(deny.message())).build();
            };
        });
    }

    @Override
    public void getPlan(GetPlanRequest request, StreamObserver<PlanLimits> responses) {
        UNARY.answer(responses, () -> {
            Plan p = plans.plan(request.getPlan())
                    .orElseThrow(() -> new UnknownPlan("plan " + request.getPlan() + " is unknown"));
            return PlanLimits.newBuilder().setName(p.name()).setCpus(p.cpus()).setMemoryBytes(p.memoryBytes())
                    .setMaxContainers(p.maxContainers()).setTotalMemoryBytes(p.totalMemoryBytes())
                    .setEngineCpus(p.engine().cpus()).setEngineMemoryBytes(p.engine().memoryBytes())
                    .setEngineDiskBytes(p.engine().diskBytes()).setIdleAfterSeconds(p.engine().idleAfter().toSeconds())
                    .setSleepWithApps(p.engine().sleepWithApps()).build();
        });
    }

    /** The one place where policy-service's refusals become gRPC statuses; null for anything else. */
    private static StatusRuntimeException status(RuntimeException error) {
        Status status = switch (error) {
            case NotReviewed e -> Status.INVALID_ARGUMENT;
            case UnknownPlan e -> Status.NOT_FOUND;
            default -> null;
        };
        return status == null ? null : status.withDescription(error.getMessage()).asRuntimeException();
    }

    /** A request for an operation the policy does not review. */
    private static final class NotReviewed extends RuntimeException {
        NotReviewed(String message) {
            super(message);
        }
    }

    /** A plan the policy does not define. */
    private static final class UnknownPlan extends RuntimeException {
        UnknownPlan(String message) {
            super(message);
        }
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
