package cx.wip.gateway.review;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.helidon.config.Config;

import cx.wip.gateway.identity.Tenant;
import cx.wip.gateway.quota.Usage;
import cx.wip.proto.policy.v1.GetPlanRequest;
import cx.wip.proto.policy.v1.PolicyServiceGrpc;
import cx.wip.proto.policy.v1.ReviewRequest;
import cx.wip.proto.policy.v1.ReviewResponse;
import cx.wip.telemetry.GrpcChannels;
import cx.wip.telemetry.GrpcClientConfig;

/**
 * Asks policy-service ({@code wip.policy.v1}) about every reviewed request. Fails closed: when the policy cannot be
 * asked, reviewed operations are refused with 503 (reads are never reviewed, so they keep working).
 * Also the gateway's source of plan limits (cached), for what {@link Redactor} shows.
 */
public final class PolicyReviewer implements Reviewer, PlanLimitsSource, AutoCloseable {
    private static final Logger LOGGER = Logger.getLogger(PolicyReviewer.class.getName());

    private final ManagedChannel channel;
    private final PolicyServiceGrpc.PolicyServiceBlockingStub policy;
    private final Settings settings;
    private final Map<String, Cached> plans = new ConcurrentHashMap<>();

    private record Cached(PlanLimits limits, long expiresAt) {
    }

    /**
     * @param grpc      the channel to policy-service: its {@code host:port}, the deadline of one review, keepalive
     * @param planCache how long plan limits are kept
     */
    record Settings(GrpcClientConfig grpc, Duration planCache) {
        static Settings create(Config policy) {
            return new Settings(GrpcClientConfig.create(policy, "127.0.0.1:9103", Duration.ofSeconds(2)),
                    policy.get("plan-cache").as(Duration.class).orElse(Duration.ofSeconds(30)));
        }

        Duration timeout() {
            return grpc.timeout();
        }
    }

    PolicyReviewer(Settings settings) {
        this.settings = settings;
        this.channel = GrpcChannels.open("wip-gateway", settings.grpc());
        this.policy = PolicyServiceGrpc.newBlockingStub(channel);
        channel.getState(true); // connect now: the first review should not pay for it
    }

    /** Reads {@code gateway.policy} ({@code address}, {@code timeout}, {@code plan-cache}) of the root config. */
    public static PolicyReviewer create(Config config) {
        return new PolicyReviewer(Settings.create(config.get("gateway.policy")));
    }

    /** The redactor showing this policy's plan limits. */
    public Redactor redactor() {
        return new Redactor(this);
    }

    /** The redactor showing this policy's plan limits and, from {@code endpoints}, whether the engine is awake. */
    public Redactor redactor(cx.wip.gateway.endpoint.EndpointResolver endpoints) {
        return new Redactor(this, endpoints::engineState);
    }

    @Override
    public Review review(Tenant tenant, Operation operation, String method, String path, String rawQuery,
                         byte[] body, Optional<Usage> usage) {
        boolean queryOnly = operation == Operation.BUILD || operation == Operation.IMAGE_PULL;
        ReviewRequest.Builder request = ReviewRequest.newBuilder()
                .setTenantId(tenant.id())
                .setPlan(tenant.plan())
                .setOperation(cx.wip.proto.policy.v1.Operation.valueOf(operation.name()))
                .setMethod(method == null ? "" : method)
                .setPath(path == null ? "" : path)
                .setRawQuery(rawQuery == null ? "" : rawQuery)
                .setBody(queryOnly || body == null ? ByteString.EMPTY : ByteString.copyFrom(body));
        usage.ifPresent(u -> request.setUsage(cx.wip.proto.policy.v1.Usage.newBuilder()
                .setContainers(u.containers()).setMemoryBytes(u.memoryBytes())));
        try {
            ReviewResponse response = ask(request.build());
            if (response.hasDenied()) {
                return new Review.Deny(response.getDenied().getHttpStatus(), response.getDenied().getMessage());
            }
            if (!response.hasAllowed()) {
                return new Review.Deny(503, "wip: the policy service gave no verdict — nothing that needs review can "
                        + "pass; try again shortly");
            }
            return new Review.Allow(queryOnly ? body : response.getAllowed().getBody().toByteArray(),
                    List.copyOf(response.getAllowed().getWarningsList()));
        } catch (StatusRuntimeException e) {
            return unavailable(e);
        }
    }

    /**
     * One review, asked again once when the connection failed under it (a review is a pure function of the request,
     * so asking twice is safe); a deadline is not retried.
     */
    private ReviewResponse ask(ReviewRequest request) {
        long deadline = System.nanoTime() + settings.timeout().toNanos();
        try {
            return policy.withDeadlineAfter(settings.timeout().toMillis(), TimeUnit.MILLISECONDS).review(request);
        } catch (StatusRuntimeException e) {
            Status.Code code = e.getStatus().getCode();
            long left = deadline - System.nanoTime();
            if ((code != Status.Code.UNAVAILABLE && code != Status.Code.UNKNOWN && code != Status.Code.INTERNAL)
                    || left <= 0) {
                throw e;
            }
            LOGGER.log(Level.FINE, "policy review failed once, asking again: " + e.getStatus());
            return policy.withDeadlineAfter(left, TimeUnit.NANOSECONDS).review(request);
        }
    }

    /** Every plan of policy-service has quotas: container create and update carry the usage. */
    @Override
    public boolean countsUsage() {
        return true;
    }

    @Override
    public Optional<PlanLimits> limits(Tenant tenant) {
        Cached cached = plans.get(tenant.plan());
        if (cached != null && cached.expiresAt() > System.nanoTime()) {
            return Optional.of(cached.limits());
        }
        try {
            cx.wip.proto.policy.v1.PlanLimits limits = policy
                    .withDeadlineAfter(settings.timeout().toMillis(), TimeUnit.MILLISECONDS)
                    .getPlan(GetPlanRequest.newBuilder().setPlan(tenant.plan()).build());
            PlanLimits plan = new PlanLimits(limits.getName(), limits.getCpus(), limits.getMemoryBytes(),
                    limits.getMaxContainers(), limits.getTotalMemoryBytes(), limits.getEngineCpus(),
                    limits.getEngineMemoryBytes(), limits.getEngineDiskBytes());
            plans.put(tenant.plan(), new Cached(plan, System.nanoTime() + settings.planCache().toNanos()));
            return Optional.of(plan);
        } catch (StatusRuntimeException e) {
            LOGGER.log(Level.WARNING, "plan " + tenant.plan() + " unknown: " + e.getStatus());
            return cached == null ? Optional.empty() : Optional.of(cached.limits());
        }
    }

    /** The one place a gRPC failure becomes an answer: fail closed, say so plainly. */
    private static Review unavailable(StatusRuntimeException e) {
        Status.Code code = e.getStatus().getCode();
        LOGGER.log(Level.WARNING, "policy review failed: " + e.getStatus());
        String why = code == Status.Code.DEADLINE_EXCEEDED ? "did not answer in time" : code == Status.Code.UNAVAILABLE
                ? "is unreachable" : "failed (" + code + ")";
        return new Review.Deny(503, "wip: the policy service " + why + " — requests that need review (create, exec, "
                + "build, pull, network and volume create) are refused until it is back; reads keep working");
    }

    /** The gRPC channel to the service (its state feeds the gateway's readiness). */
    public ManagedChannel channel() {
        return channel;
    }

    @Override
    public void close() {
        GrpcChannels.close(channel, Duration.ofSeconds(5));
    }
}
