package cx.wip.auth;

import java.time.Clock;

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
import cx.wip.telemetry.GrpcStandardServices;
import cx.wip.telemetry.GrpcTelemetry;

import io.grpc.ServerInterceptors;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
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
    private final GrpcStandardServices standard;

    private AuthServer(RedisStore store, WebServer server, GrpcStandardServices standard) {
        this.store = store;
        this.server = server;
        this.standard = standard;
    }

    /** Opens the CA and Redis, then starts both listeners. */
    public static AuthServer start(AuthConfig config) {
        final CertificateAuthority ca = CaFiles.open(config.ca(), Clock.systemUTC());
        final Tokens tokens = Tokens.create(TokenKeyFile.read(config.tokenKeyFile(), config.ca().createMissing()));
        final AdminTokenCheck adminToken = new AdminTokenCheck(AdminTokenFile.readOrCreate(config.adminTokenFile()));
        final RedisStore store = RedisStore.connect(config.redisUri(), config.keyPrefix());
        final Directory directory = new Directory(store, tokens, ca, Clock.systemUTC());
        final GrpcStandardServices standard = GrpcStandardServices.start("auth", store::ping,
                AuthServiceGrpc.SERVICE_NAME, AuthAdminServiceGrpc.SERVICE_NAME);
        try {
            return new AuthServer(store, webServer(config, store, directory, standard, adminToken), standard);
        } catch (RuntimeException e) {
            standard.close();
            store.close();
            throw e;
        }
    }

    private static WebServer webServer(AuthConfig config, RedisStore store, Directory directory,
                                       GrpcStandardServices standard, AdminTokenCheck adminToken) {
        final GrpcRouting.Builder grpc = GrpcRouting.builder()
                .service(GrpcTelemetry.observed(new AuthGrpcService(directory)));
        final WebServerConfig.Builder server = WebServer.builder()
                .host(config.host())
                .port(config.port());
        standard.installOn(server, grpc);
        return server
                .addRouting(grpc)
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
        standard.close();
        server.stop();
        store.close();
    }
}
