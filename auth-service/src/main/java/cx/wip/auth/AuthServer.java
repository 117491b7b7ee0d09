package cx.wip.auth;

import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import cx.wip.auth.ca.CaFiles;
import cx.wip.auth.ca.CertificateAuthority;
import cx.wip.auth.domain.Directory;
import cx.wip.auth.domain.Tokens;
import cx.wip.auth.grpc.AdminGrpcService;
import cx.wip.auth.grpc.AuthGrpcService;
import cx.wip.auth.store.RedisStore;
import cx.wip.proto.auth.v1.AuthAdminServiceGrpc;
import cx.wip.proto.auth.v1.AuthServiceGrpc;
import cx.wip.telemetry.DependencyReadiness;
import cx.wip.telemetry.GrpcTelemetry;

import io.grpc.ServerInterceptors;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.protobuf.services.HealthStatusManager;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.grpc.GrpcReflectionFeature;
import io.helidon.webserver.grpc.GrpcRouting;
import io.helidon.webserver.observe.ObserveFeature;
import io.helidon.webserver.observe.health.HealthObserver;
import io.helidon.webserver.observe.metrics.MetricsObserver;

/**
 * auth-service, started: Redis store, CA, the gateway-facing listener (Authenticate, gRPC health, reflection and
 * HTTP {@code /observe/health} and {@code /observe/metrics}) and the admin listener on loopback, whose every call
 * must carry the admin token. Tests start it in-process.
 */
public final class AuthServer implements AutoCloseable {
    static final String ADMIN_SOCKET = "admin";

    private final RedisStore store;
    private final WebServer server;
    private final HealthStatusManager grpcHealth;
    private final ScheduledExecutorService healthUpdates;

    private AuthServer(RedisStore store, WebServer server, HealthStatusManager grpcHealth,
                       ScheduledExecutorService healthUpdates) {
        this.store = store;
        this.server = server;
        this.grpcHealth = grpcHealth;
        this.healthUpdates = healthUpdates;
    }

    /** Opens the CA and Redis, then starts both listeners. */
    public static AuthServer start(AuthConfig config) {
        final CertificateAuthority ca = CaFiles.open(config.ca(), Clock.systemUTC());
        final Tokens tokens = Tokens.create(TokenKeyFile.read(config.tokenKeyFile(), config.ca().createMissing()));
        final AdminTokenCheck adminToken = new AdminTokenCheck(AdminTokenFile.readOrCreate(config.adminTokenFile()));
        final RedisStore store = RedisStore.connect(config.redisUri(), config.keyPrefix());
        final Directory directory = new Directory(store, tokens, ca, Clock.systemUTC());
        final HealthStatusManager grpcHealth = new HealthStatusManager();
        final WebServer server;
        try {
            server = webServer(config, store, directory, grpcHealth, adminToken);
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
        final ScheduledExecutorService healthUpdates = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("auth-health").factory());
        healthUpdates.scheduleWithFixedDelay(() -> {
            final ServingStatus status = store.ping() ? ServingStatus.SERVING : ServingStatus.NOT_SERVING;
            grpcHealth.setStatus(HealthStatusManager.SERVICE_NAME_ALL_SERVICES, status);
            grpcHealth.setStatus(AuthServiceGrpc.SERVICE_NAME, status);
            grpcHealth.setStatus(AuthAdminServiceGrpc.SERVICE_NAME, status);
        }, 0, 5, TimeUnit.SECONDS);
        return new AuthServer(store, server, grpcHealth, healthUpdates);
    }

    private static WebServer webServer(AuthConfig config, RedisStore store, Directory directory,
                                       HealthStatusManager grpcHealth, AdminTokenCheck adminToken) {
        return WebServer.builder()
                .host(config.host())
                .port(config.port())
                .addRouting(GrpcRouting.builder()
                                    .service(GrpcTelemetry.observed(new AuthGrpcService(directory)))
                                    .service(grpcHealth.getHealthService()))
                .addFeature(ObserveFeature.builder()
                                    .addObserver(HealthObserver.builder().details(true)
                                                         .addCheck(DependencyReadiness.of("redis", store::ping))
                                                         .build())
                                    .addObserver(MetricsObserver.create())
                                    .build())
                .putSocket(ADMIN_SOCKET, socket -> socket
                        .host(config.adminHost())
                        .port(config.adminPort())
                        .addRouting(GrpcRouting.builder()
                                            // the token check runs inside the telemetry: refusals are logged too
                                            .service(GrpcTelemetry.observed(ServerInterceptors.intercept(
                                                    new AdminGrpcService(directory), adminToken)))))
                .addFeature(GrpcReflectionFeature.create(reflection -> reflection.enabled(true)))
                .build()
                .start();
    }

    /** Port of the gateway-facing listener. */
    public int port() {
        return server.port();
    }

    /** Port of the admin listener. */
    public int adminPort() {
        return server.port(ADMIN_SOCKET);
    }

    @Override
    public void close() {
        healthUpdates.shutdownNow();
        grpcHealth.enterTerminalState();
        server.stop();
        store.close();
    }
}
