package cx.wip.policy;

import io.helidon.config.Config;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.grpc.GrpcRouting;
import io.helidon.webserver.observe.ObserveFeature;
import io.helidon.webserver.observe.health.HealthObserver;
import io.helidon.webserver.observe.metrics.MetricsObserver;

import cx.wip.policy.plan.Plans;
import cx.wip.telemetry.GrpcTelemetry;

/** The policy service: gRPC, health and metrics on one port. Tests start it in-process. */
public final class PolicyServer implements AutoCloseable {
    private final WebServer server;

    private PolicyServer(WebServer server) {
        this.server = server;
    }

    /** Starts the server from the {@code policy} config node. */
    public static PolicyServer start(Config policy) {
        PolicyServerConfig listen = PolicyServerConfig.create(policy);
        Plans plans = Plans.create(policy);
        WebServer server = WebServer.builder()
                .host(listen.host())
                .port(listen.port())
                // small gRPC answers go out as several writes: without TCP_NODELAY, Nagle holds the last one
                // until the client's delayed ACK (~40 ms a review)
                .connectionOptions(socket -> socket.tcpNoDelay(true))
                .addRouting(GrpcRouting.builder().service(GrpcTelemetry.observed(new PolicyGrpcService(plans))))
                .addFeature(ObserveFeature.builder()
                        .addObserver(HealthObserver.create())
                        .addObserver(MetricsObserver.create())
                        .build())
                .build()
                .start();
        return new PolicyServer(server);
    }

    public int port() {
        return server.port();
    }

    @Override
    public void close() {
        server.stop();
    }
}
