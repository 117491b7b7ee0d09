package cx.wip.vm;

import io.grpc.ServerInterceptors;
import io.helidon.config.Config;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.grpc.GrpcRouting;
import io.helidon.webserver.observe.ObserveFeature;
import io.helidon.webserver.observe.health.HealthObserver;
import io.helidon.webserver.observe.metrics.MetricsObserver;

import cx.wip.telemetry.DependencyReadiness;
import cx.wip.proto.vm.v1.VmServiceGrpc;
import cx.wip.telemetry.GrpcStandardServices;
import cx.wip.telemetry.GrpcTelemetry;
import cx.wip.vm.boot.IngressSleepNotice;
import cx.wip.vm.boot.SleepNotice;
import cx.wip.vm.boot.VmRuntime;
import cx.wip.vm.spi.HypervisorBackend;

/**
 * A running vm-service: gRPC {@code wip.vm.v1.VmService} (with gRPC health and reflection), health and metrics ({@code /observe/health},
 * {@code /observe/metrics}) on one port
 * ({@code server.port}, 9102 on 127.0.0.1 by default). Tests start it in-process from a {@link Config}.
 */
public final class VmServer implements AutoCloseable {
    private final WebServer server;
    private final VmRuntime runtime;

    /** The plan source: a gRPC channel to policy-service in a deployment, closed with the server. */
    private final Object plans;

    private final GrpcStandardServices standard;

    private VmServer(WebServer server, VmRuntime runtime, Object plans, GrpcStandardServices standard) {
        this.server = server;
        this.standard = standard;
        this.runtime = runtime;
        this.plans = plans;
    }

    /** Starts from the root config (sections {@code server} and {@code vm}). */
    public static VmServer start(Config root) {
        VmConfig config = VmConfig.create(root.get("vm"));
        HypervisorBackend backend = new MeteredBackend(Backends.create(config.backend(), config.backendConfig()),
                                                       config.backend());
        VmRuntime runtime = VmRuntime.start(config.redisUri(), config.keyPrefix(), backend, config.plans(),
                                            config.bootTimeout(), config.leaseTtl(), config.idleCheckInterval(), config.pool(),
                                            config.frozenFor(), config.ingress().<SleepNotice>map(IngressSleepNotice::new)
                                                    .orElse(SleepNotice.NONE));
        GrpcStandardServices standard = GrpcStandardServices.start("vm", runtime::redisUp, VmServiceGrpc.SERVICE_NAME);
        try {
            GrpcRouting.Builder grpc = GrpcRouting.builder().service(GrpcTelemetry.observed(ServerInterceptors.intercept(
                    new VmGrpcService(runtime.coordinator(), config.ensureWait()), new EnsureMetrics())));
            WebServerConfig.Builder builder = WebServer.builder().config(root.get("server"));
            standard.installOn(builder, grpc);
            WebServer server = builder
                    .addRouting(grpc)
                    .addFeature(ObserveFeature.builder()
                            .addObserver(HealthObserver.builder()
                                    .details(true)
                                    .addCheck(DependencyReadiness.of("redis", () -> runtime.redisUp()))
                                    .build())
                            .addObserver(MetricsObserver.create())
                            .build())
                    .build()
                    .start();
            return new VmServer(server, runtime, config.plans(), standard);
        } catch (RuntimeException e) {
            standard.close();
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
        standard.close();
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
