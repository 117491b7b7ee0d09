package cx.wip.policy;

import io.helidon.config.Config;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.grpc.GrpcRouting;
import io.helidon.webserver.observe.ObserveFeature;
import io.helidon.webserver.observe.health.HealthObserver;
import io.helidon.webserver.observe.metrics.MetricsObserver;

import cx.wip.policy.plan.Plans;
import cx.wip.proto.policy.v1.PolicyServiceGrpc;
import cx.wip.telemetry.GrpcStandardServices;
import cx.wip.telemetry.GrpcTelemetry;

/** The policy service: gRPC (with gRPC health and reflection), health and metrics on one port. Tests start it in-process. */
public final class PolicyServer implements AutoCloseable {
    private final WebServer server;
    private final GrpcStandardServices standard;

    private PolicyServer(WebServer server, GrpcStandardServices standard) {
        this.server = server;
        this.standard = standard;
    }

    /** Starts the server from the {@code policy} config node. */
    public static PolicyServer start(Config policy) {
        PolicyServerConfig listen = PolicyServerConfig.create(policy);
        Plans plans = Plans.create(policy);
        GrpcStandardServices standard = GrpcStandardServices.start("policy", () -> true,
                PolicyServiceGrpc.SERVICE_NAME);
        GrpcRouting.Builder grpc = GrpcRouting.builder().service(GrpcTelemetry.observed(new PolicyGrpcService(plans)));
        WebServerConfig.Builder builder = WebServer.builder();
        standard.installOn(builder, grpc);
        WebServer server = builder
                .host(listen.host())
                .port(listen.port())
                // small gRPC answers go out as several writes: without TCP_NODELAY, Nagle holds the last one
                // until the client's delayed ACK (~40 ms a review)
                .connectionOptions(socket -> socket.tcpNoDelay(true))
                .addRouting(grpc)
                .addFeature(ObserveFeature.builder()
                        .addObserver(HealthObserver.create())
                        .addObserver(MetricsObserver.create())
                        .build())
                .build()
                .start();
        return new PolicyServer(server, standard);
    }

    public int port() {
        return server.port();
    }

    @Override
    public void close() {
        standard.close();
        server.stop();
    }
}
