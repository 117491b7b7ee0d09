package cx.wip.telemetry;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import io.grpc.BindableService;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.protobuf.services.HealthStatusManager;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.grpc.GrpcReflectionFeature;
import io.helidon.webserver.grpc.GrpcRouting;

/**
 * What every wip gRPC service serves besides its own rpcs, set up in one place: the standard health service
 * ({@code grpc.health.v1.Health}), whose status follows the same readiness as the HTTP health check (polled every few
 * seconds, for the whole server and for each of the service's own gRPC services), and server reflection.
 */
public final class GrpcStandardServices implements AutoCloseable {
    private static final Duration POLL = Duration.ofSeconds(5);

    private final HealthStatusManager health = new HealthStatusManager();
    private final ScheduledExecutorService poller;

    private GrpcStandardServices(String name, BooleanSupplier ready, List<String> services, Duration poll) {
        this.poller = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name(name + "-grpc-health").factory());
        poller.scheduleWithFixedDelay(() -> {
            ServingStatus status = serving(ready) ? ServingStatus.SERVING : ServingStatus.NOT_SERVING;
            health.setStatus(HealthStatusManager.SERVICE_NAME_ALL_SERVICES, status);
            services.forEach(service -> health.setStatus(service, status));
        }, 0, poll.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Starts the health status polling.
     *
     * @param name     the service's name (its poller thread is named after it)
     * @param ready    whether the service can serve: its dependencies answer
     * @param services the full names of the service's own gRPC services ({@code XxxGrpc.SERVICE_NAME})
     */
    public static GrpcStandardServices start(String name, BooleanSupplier ready, String... services) {
        return new GrpcStandardServices(name, ready, List.of(services), POLL);
    }

    static GrpcStandardServices start(String name, BooleanSupplier ready, Duration poll, String... services) {
        return new GrpcStandardServices(name, ready, List.of(services), poll);
    }

    /** Adds the health service to {@code routing} (the server's gRPC routing) and reflection to {@code server}. */
    public void installOn(WebServerConfig.Builder server, GrpcRouting.Builder routing) {
        routing.service(healthService());
        server.addFeature(GrpcReflectionFeature.create(reflection -> reflection.enabled(true)));
    }

    BindableService healthService() {
        return health.getHealthService();
    }

    private static boolean serving(BooleanSupplier ready) {
        try {
            return ready.getAsBoolean();
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Stops polling and tells health watchers the server is going away. */
    @Override
    public void close() {
        poller.shutdownNow();
        health.enterTerminalState();
    }
}
