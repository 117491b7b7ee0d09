package cx.wip.gateway.endpoint;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.ProtoUtils;
import io.helidon.config.Config;

import cx.wip.docker.DaemonAddress;
import cx.wip.gateway.GatewayException;
import cx.wip.gateway.PlatformFault;
import cx.wip.gateway.identity.Tenant;
import cx.wip.proto.vm.v1.EnsureEndpointRequest;
import cx.wip.proto.vm.v1.EnsureEndpointResponse;
import cx.wip.proto.vm.v1.Failure;
import cx.wip.proto.vm.v1.FailureReason;
import cx.wip.proto.vm.v1.Cause;
import cx.wip.proto.vm.v1.StatusRequest;
import cx.wip.proto.vm.v1.StatusResponse;
import cx.wip.proto.vm.v1.VmServiceGrpc;
import cx.wip.telemetry.GrpcChannels;
import cx.wip.telemetry.GrpcClientConfig;

/**
 * Asks vm-service where a tenant's daemon is (booting it on first use) and caches the answer for {@code cache-ttl}.
 * Concurrent misses for one tenant share one call; {@link #invalidate} (the daemon could not be reached) makes the
 * next request re-ensure, which brings a dead daemon back. Activity is reported to vm-service in batches.
 */
public final class VmEndpointResolver implements EndpointResolver, AutoCloseable {
    /** How long a call that found vm-service unreachable waits for the channel to connect again, once. */
    private static final java.time.Duration RECONNECT_WAIT = java.time.Duration.ofSeconds(3);

    /** What the docker CLI prints while a boot runs past the deadline. */
    public static final String STILL_STARTING = "your environment is still starting — retry in a moment";
    /** The trailer in which vm-service says why a call failed ({@code wip.vm.v1.failure-bin}). */
    static final Metadata.Key<Failure> FAILURE = ProtoUtils.keyForProto(Failure.getDefaultInstance());

    private final VmResolverConfig config;
    private final ManagedChannel channel;
    private final VmServiceGrpc.VmServiceBlockingStub vm;
    private final ActivityBatcher activity;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<Cached>> inFlight = new ConcurrentHashMap<>();
    private final ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor();

    private VmEndpointResolver(VmResolverConfig config) {
        this.config = config;
        this.channel = GrpcChannels.open("wip-gateway", config.grpc());
        this.vm = VmServiceGrpc.newBlockingStub(channel);
        this.activity = new ActivityBatcher(VmServiceGrpc.newBlockingStub(channel), config.activityInterval());
    }

    /**
     * Reads {@code gateway.vm} of the root config: {@code address} (host:port of vm-service, default
     * {@code 127.0.0.1:9102}), {@code timeout} (PT1S), keepalive, {@code cache-ttl} (PT30S), {@code ensure-timeout}
     * (PT20S), {@code activity-interval} (PT10S). A config without a {@code gateway.vm} node is read as that node itself.
     */
    public static VmEndpointResolver create(Config config) {
        Config vm = config.get("gateway").get("vm");
        return new VmEndpointResolver(VmResolverConfig.create(vm.exists() ? vm : config));
    }

    @Override
    public DaemonAddress endpoint(Tenant tenant) {
        Cached cached = cache.get(tenant.id());
        if (cached != null && cached.fresh(System.nanoTime())) {
            return cached.daemon();
        }
        CompletableFuture<Cached> call = inFlight.computeIfAbsent(tenant.id(), id -> {
            // the call runs on another thread: it carries the request's ids (gRPC context) along
            CompletableFuture<Cached> started = CompletableFuture.supplyAsync(() -> ensure(tenant),
                    Context.current().fixedContextExecutor(callers));
            started.whenComplete((answer, error) -> inFlight.remove(id, started));
            return started;
        });
        try {
            return call.join().daemon();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : e;
        }
    }

    @Override
    public void invalidate(Tenant tenant) {
        cache.remove(tenant.id());
    }

    @Override
    public void activity(Tenant tenant) {
        activity.add(tenant.id());
    }

    @Override
    public void openSessions(Supplier<Set<String>> tenants) {
        activity.sessions(tenants);
    }

    @Override
    public Optional<String> engineState(Tenant tenant) {
        try {
            StatusResponse status = vm.withDeadlineAfter(config.grpc().timeout().toMillis(), TimeUnit.MILLISECONDS)
                    .status(StatusRequest.newBuilder().setTenantId(tenant.id()).build());
            return Optional.of(status.getRecord().getWakefulness().getSummary()).filter(s -> !s.isEmpty());
        } catch (StatusRuntimeException e) {
            return Optional.empty();
        }
    }

    /** The address where the tenant's published ports answer (for ingress), when known. */
    public Optional<String> publicAddress(Tenant tenant) {
        return Optional.ofNullable(cache.get(tenant.id())).map(Cached::publicAddress).filter(a -> !a.isEmpty());
    }

    /** The gRPC channel to the service (its state feeds the gateway's readiness). */
    public ManagedChannel channel() {
        return channel;
    }

    /** Sends the last activity batch and closes the channel. */
    @Override
    public void close() {
        activity.close();
        callers.shutdownNow();
        GrpcChannels.close(channel, Duration.ofSeconds(2));
    }

    private Cached ensure(Tenant tenant) {
        EnsureEndpointRequest request = EnsureEndpointRequest.newBuilder()
                .setTenantId(tenant.id())
                .setPlan(tenant.plan())
                .setWaitMillis(config.ensureTimeout().toMillis())
                .setCause(Cause.CAUSE_API)
                .build();
        EnsureEndpointResponse response;
        try {
            response = ensureCall(request);
        } catch (StatusRuntimeException e) {
            // only when vm-service could not be reached: its own UNAVAILABLE answers (a failed boot) carry a reason
            if (e.getStatus().getCode() != Status.Code.UNAVAILABLE
                || reason(e) != FailureReason.FAILURE_REASON_UNSPECIFIED || !reconnected()) {
                throw toGatewayException(e);
            }
            try {
                response = ensureCall(request);
            } catch (StatusRuntimeException again) {
                throw toGatewayException(again);
            }
        }
        long now = System.nanoTime();
        Cached cached = new Cached(DaemonAddress.of(response.getEndpoint().getDockerAddress(),
                                                   response.getEndpoint().getTls()),
                                   response.getEndpoint().getPublicAddress(),
                                   now + config.cacheTtl().toNanos(),
                                   TimeUnit.MILLISECONDS.toNanos(response.getIdleAfterMillis()),
                                   new java.util.concurrent.atomic.AtomicLong(now));
        cache.put(tenant.id(), cached);
        return cached;
    }

    private EnsureEndpointResponse ensureCall(EnsureEndpointRequest request) {
        return vm.withDeadlineAfter(config.ensureTimeout().plusSeconds(2).toMillis(), TimeUnit.MILLISECONDS)
                .ensureEndpoint(request);
    }

    /**
     * After vm-service went away (a restart), the channel waits out a growing reconnect backoff and fails calls
     * meanwhile, even once vm-service is back: reconnect now and wait a moment for it.
     *
     * @return whether the channel is connected again
     */
    private boolean reconnected() {
        channel.resetConnectBackoff();
        long deadline = System.nanoTime() + RECONNECT_WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (channel.getState(true) == io.grpc.ConnectivityState.READY) {
                return true;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }

    /**
     * The one place where vm-service's answers become what the docker CLI shows. The reason comes from the
     * {@code Failure} trailer; vm-service's own words are never passed on (an older one put backend detail in them),
     * so a tenant reads only these fixed messages, with the request id for faults.
     */
    static GatewayException toGatewayException(StatusRuntimeException e) {
        Status status = e.getStatus();
        FailureReason reason = reason(e);
        if (reason == FailureReason.FAILURE_REASON_STILL_STARTING
            // another replica took the boot over and goes on with it: to the tenant, it is still starting
            || reason == FailureReason.FAILURE_REASON_LEASE_LOST
            || status.getCode() == Status.Code.DEADLINE_EXCEEDED
            // a vm-service older than the trailer said it in words only
            || String.valueOf(status.getDescription()).startsWith("your environment is still starting")) {
            return new GatewayException(503, STILL_STARTING, e);
        }
        return switch (reason) {
            case FAILURE_REASON_BOOT_FAILED -> new PlatformFault(503, "wip: your environment could not be started", e);
            case FAILURE_REASON_UNSPECIFIED, UNRECOGNIZED -> status.getCode() != Status.Code.UNAVAILABLE
                    ? new PlatformFault(503, "wip: your environment could not be had", e)
                    : String.valueOf(status.getDescription()).startsWith("your environment could not be started")
                    ? new PlatformFault(503, "wip: your environment could not be started", e)
                    : new PlatformFault(503, "wip: the environment service is unavailable — retry in a moment", e);
            default -> new PlatformFault(503, "wip: your environment could not be had", e);
        };
    }

    private static FailureReason reason(StatusRuntimeException e) {
        Metadata trailers = e.getTrailers();
        Failure failure = trailers == null ? null : trailers.get(FAILURE);
        return failure == null ? FailureReason.FAILURE_REASON_UNSPECIFIED : failure.getReason();
    }

    /**
     * An answer of vm-service, used until it expires or until this gateway sent the tenant nothing for the engine's
     * idle time (it may have fallen asleep since: the next call asks vm-service again, which wakes it).
     */
    private record Cached(DaemonAddress daemon, String publicAddress, long expiresAt, long idleNanos,
                          java.util.concurrent.atomic.AtomicLong lastUsed) {
        boolean fresh(long now) {
            if (now >= expiresAt || idleNanos > 0 && now - lastUsed.get() >= idleNanos) {
                return false;
            }
            lastUsed.set(now);
            return true;
        }
    }

    /**
     * @param grpc             the channel to vm-service: its host:port, the deadline of a status question, keepalive
     * @param cacheTtl         how long an endpoint answer is reused
     * @param ensureTimeout    how long a first request waits for a boot
     * @param activityInterval how often activity is reported
     */
    record VmResolverConfig(GrpcClientConfig grpc, Duration cacheTtl, Duration ensureTimeout, Duration activityInterval) {
        VmResolverConfig {
            if (grpc.address().isBlank()) {
                throw new IllegalArgumentException("gateway.vm.address must be host:port of vm-service");
            }
        }

        static VmResolverConfig create(Config vm) {
            return new VmResolverConfig(GrpcClientConfig.create(vm, "127.0.0.1:9102", Duration.ofSeconds(1)),
                                        vm.get("cache-ttl").as(Duration.class).orElse(Duration.ofSeconds(30)),
                                        vm.get("ensure-timeout").as(Duration.class).orElse(Duration.ofSeconds(20)),
                                        vm.get("activity-interval").as(Duration.class).orElse(Duration.ofSeconds(10)));
        }
    }
}
