package cx.wip.vm.boot;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.helidon.config.Config;

import cx.wip.proto.policy.v1.GetPlanRequest;
import cx.wip.proto.policy.v1.PlanLimits;
import cx.wip.proto.policy.v1.PolicyServiceGrpc;
import cx.wip.telemetry.GrpcChannels;
import cx.wip.telemetry.GrpcClientConfig;

/**
 * Plans as policy-service defines them ({@code GetPlan}): the engine's CPUs, memory, disk and idle time. Kept for
 * {@code plan-cache}; when policy-service cannot be asked, the last answer stands (engines keep booting through a
 * policy restart), and a plan never read fails the boot with a message that says so.
 */
public final class PolicyPlans implements PlanSource, AutoCloseable {
    private static final Logger LOGGER = Logger.getLogger(PolicyPlans.class.getName());

    private final ManagedChannel channel;
    private final PolicyServiceGrpc.PolicyServiceBlockingStub policy;
    private final Settings settings;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    private record Cached(Plan plan, long expiresAt) {
    }

    /**
     * @param grpc      the channel to policy-service: its {@code host:port}, the deadline of one GetPlan, keepalive
     * @param planCache how long an answer is kept
     */
    public record Settings(GrpcClientConfig grpc, Duration planCache) {
        /** Reads {@code vm.policy}; empty when no address is set. */
        public static Optional<Settings> create(Config policy) {
            return policy.get("address").asString().filter(a -> !a.isBlank()).map(address -> new Settings(
                    GrpcClientConfig.create(policy, address, Duration.ofSeconds(2)),
                    policy.get("plan-cache").as(Duration.class).orElse(Duration.ofSeconds(30))));
        }
    }

    public PolicyPlans(Settings settings) {
        this.settings = settings;
        this.channel = GrpcChannels.open("wip-vm-service", settings.grpc());
        this.policy = PolicyServiceGrpc.newBlockingStub(channel);
    }

    @Override
    public Plan plan(String name) {
        Cached cached = cache.get(name);
        if (cached != null && cached.expiresAt() > System.nanoTime()) {
            return cached.plan();
        }
        try {
            PlanLimits limits = policy.withDeadlineAfter(settings.grpc().timeout().toMillis(), TimeUnit.MILLISECONDS)
                    .getPlan(GetPlanRequest.newBuilder().setPlan(name).build());
            Plan plan = new Plan(name, limits.getEngineMemoryBytes(), limits.getEngineCpus(),
                    limits.getEngineDiskBytes(), Duration.ofSeconds(Math.max(1, limits.getIdleAfterSeconds())),
                    limits.getSleepWithApps());
            cache.put(name, new Cached(plan, System.nanoTime() + settings.planCache().toNanos()));
            return plan;
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
                throw new IllegalStateException("plan \"" + name + "\" is not defined in policy-service's plans", e);
            }
            if (cached != null) {
                LOGGER.log(Level.WARNING, "policy-service did not answer for plan " + name + " (" + e.getStatus()
                        + "); using its last known definition");
                return cached.plan();
            }
            throw new IllegalStateException("plan \"" + name + "\" cannot be read: policy-service did not answer ("
                    + e.getStatus().getCode() + ")", e);
        }
    }

    @Override
    public void close() {
        GrpcChannels.close(channel, Duration.ofSeconds(5));
    }
}
