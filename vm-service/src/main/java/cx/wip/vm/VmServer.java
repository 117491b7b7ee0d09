package cx.wip.vm;

import io.grpc.ServerInterceptors;
import io.helidon.config.Config;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.grpc.GrpcRouting;
import io.helidon.webserver.observe.ObserveFeature;
import io.helidon.webserver.observe.health.HealthObserver;
import io.helidon.webserver.observe.metrics.MetricsObserver;

import cx.wip.telemetry.DependencyReadiness;
import cx.wip.telemetry.GrpcTelemetry;
import cx.wip.vm.boot.VmRuntime;
import cx.wip.vm.spi.HypervisorBackend;

/**
 * A running vm-service: gRPC {@code wip.vm.v1.VmService}, health and metrics ({@code /observe/health},
 * {@code /observe/metrics}) on one port
 * ({@code server.port}, 9102 on 127.0.0.1 by default). Tests start it in-process from a {@link Config}.
 */
public final class VmServer implements AutoCloseable {
    private final WebServer server;
    private final VmRuntime runtime;

    /** The plan source: a gRPC channel to policy-service in a deployment, closed with the server. */
    private final Object plans;

    private VmServer(WebServer server, VmRuntime runtime, Object plans) {
        this.server = server;
        this.runtime = runtime;
        this.plans = plans;
    }

    /** Starts from the root config (sections {@code server} and {@code vm}). */
    public static VmServer start(Config root) {
        VmConfig config = VmConfig.create(root.get("vm"));
        HypervisorBackend backend = new MeteredBackend(Backends.create(config.backend(), config.backendConfig()),
                                                       config.backend());
        VmRuntime runtime = VmRuntime.start(config.redisUri(), config.keyPrefix(), backend, config.plans(),
                                            config.bootTimeout(), config.leaseTtl(), config.idleCheckInterval(), config.pool());
        try {
            WebServer server = WebServer.builder()
                    .config(root.get("server"))
                    .addRouting(GrpcRouting.builder()
                                        .service(GrpcTelemetry.observed(ServerInterceptors.intercept(
                                                new VmGrpcService(runtime.coordinator(), config.ensureWait()),
                                                new EnsureMetrics()))))
                    .addFeature(ObserveFeature.builder()
                            .addObserver(HealthObserver.builder()
                                    .details(true)
                                    .addCheck(DependencyReadiness.of("redis", () -> runtime.redisUp()))
                                    .build())
                            .addObserver(MetricsObserver.create())
                            .build())
                    .build()
                    .start();
            return new VmServer(server, runtime, config.plans());
        } catch (RuntimeException e) {
            runtime.close();
            throw e;
        }
    }

    public int port() {
        return server.port();
    }

    /** Stops serving and closes Redis; tenant daemons keep running (a restarted instance adopts them). */
    @Override
    public void close() {
        server.stop();
        runtime.close();
        if (plans instanceof AutoCloseable channel) {
            try {
                channel.close();
            } catch (Exception ignored) {
                // shutting down anyway
            }
        }
    }
}
