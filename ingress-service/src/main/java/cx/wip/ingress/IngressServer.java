package cx.wip.ingress;

import cx.wip.docker.DaemonTls;
import cx.wip.ingress.caddy.CaddyConfig;
import cx.wip.ingress.caddy.CaddyRouteBackend;
import cx.wip.ingress.docker.Containers;
import cx.wip.ingress.traefik.TraefikConfig;
import cx.wip.ingress.traefik.TraefikRouteBackend;
import cx.wip.ingress.wake.HitLog;
import cx.wip.ingress.wake.VmEngines;
import cx.wip.ingress.wake.WakeConfig;
import cx.wip.ingress.wake.Waker;
import cx.wip.telemetry.DependencyReadiness;
import cx.wip.proto.ingress.v1.IngressGrpc;
import cx.wip.telemetry.GrpcStandardServices;
import cx.wip.telemetry.GrpcTelemetry;

import io.helidon.config.Config;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.grpc.GrpcRouting;
import io.helidon.webserver.observe.ObserveFeature;
import io.helidon.webserver.observe.health.HealthObserver;
import io.helidon.webserver.observe.metrics.MetricsObserver;

import java.net.URI;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * ingress-service assembled: state store, route backend, domains, the sync logic, the reconciler, and one Helidon
 * WebServer with gRPC (and gRPC health and reflection), health (readiness: Redis) and metrics on its default socket
 * and the {@code ask} endpoint on the socket named {@code ask}; with {@code ingress.vm.address}, the wake path too:
 * the waker, the hit log and vm-service's client.
 * Tests start it in-process exactly as {@link IngressMain} does.
 */
public final class IngressServer implements AutoCloseable {
    private final WebServer server;
    private final GrpcStandardServices standard;
    private final Reconciler reconciler;
    private final RouteBackend backend;
    private final IngressStore store;
    private final Optional<Wake> wake;

    private IngressServer(WebServer server, GrpcStandardServices standard, Reconciler reconciler,
                          RouteBackend backend, IngressStore store, Optional<Wake> wake) {
        this.server = server;
        this.standard = standard;
        this.reconciler = reconciler;
        this.backend = backend;
        this.store = store;
        this.wake = wake;
    }

    /** The wake path's parts, when vm-service is configured. */
    private record Wake(VmEngines engines, HitLog hits, Waker waker) {
        void close() {
            waker.close();
            hits.close();
            engines.close();
        }
    }

    /** @param root the whole configuration: {@code server} (gRPC port, {@code ask} socket) and {@code ingress} */
    public static IngressServer start(Config root) {
        Config section = root.get("ingress");
        IngressConfig config = IngressConfig.create(section);
        WakeConfig wakeConfig = WakeConfig.create(section);
        IngressStore store = new IngressStore(config.redisUri(), config.redisPrefix());
        Optional<VmEngines> engines = wakeConfig.enabled() ? Optional.of(VmEngines.create(wakeConfig))
                : Optional.empty();
        // Caddy refuses a configuration whose access log writer cannot connect: listen before the backend is set up
        Optional<HitLog> hits = engines.map(vm -> HitLog.listen(wakeConfig));
        RouteBackend backend = new MeteredRouteBackend(backend(config, section, wakeConfig.path()), config.backend());
        Optional<DaemonTls> daemonTls = DaemonTls.create(section.get("daemon-tls"));
        Function<URI, Containers> docker = daemon -> Containers.of(daemon, daemonTls);
        AtomicReference<Reconciler> reconciler = new AtomicReference<>();
        Domains domains = new Domains(store, new DnsLookup(config.dnsServer()), config.baseDomain());
        Ingress ingress = new Ingress(config, store, backend, domains, docker, daemon -> reconciler.get().follow(daemon),
                wakeConfig.path(), tenant -> engines.map(vm -> vm.asleep(tenant)).orElse(false));
        Optional<Wake> wake = engines.map(vm -> {
            hits.get().reportTo(vm, ingress, wakeConfig.reportInterval());
            if (!wakeConfig.hitsFile().isEmpty()) {
                hits.get().follow(java.nio.file.Path.of(wakeConfig.hitsFile()));
            }
            return new Wake(vm, hits.get(), Waker.start(wakeConfig, vm, ingress));
        });
        reconciler.set(new Reconciler(store, backend, docker, config.reconcileInterval(), ingress));
        GrpcStandardServices standard = GrpcStandardServices.start("ingress", store::ping, IngressGrpc.SERVICE_NAME);
        GrpcRouting.Builder grpc = GrpcRouting.builder()
                .service(GrpcTelemetry.observed(new IngressGrpcService(ingress, config)));
        WebServerConfig.Builder builder = WebServer.builder().config(root.get("server"));
        standard.installOn(builder, grpc);
        WebServer server = builder
                .addRouting(grpc)
                .addFeature(ObserveFeature.builder()
                        .addObserver(HealthObserver.builder()
                                .details(true)
                                .addCheck(DependencyReadiness.of("redis", () -> store.ping()))
                                .build())
                        .addObserver(MetricsObserver.create())
                        .build())
                .routing("ask", routing -> routing.register(new AskService(ingress)))
                .build()
                .start();
        reconciler.get().follow(config.defaultDaemon());
        reconciler.get().start();
        return new IngressServer(server, standard, reconciler.get(), backend, store, wake);
    }

    private static RouteBackend backend(IngressConfig config, Config section, WakePath wake) {
        return switch (config.backend()) {
            case "traefik" -> TraefikRouteBackend.create(TraefikConfig.create(section.get("traefik")), wake);
            default -> CaddyRouteBackend.create(CaddyConfig.create(section.get("caddy")), wake);
        };
    }

    /** @return the waker's port, when vm-service is configured */
    public Optional<Integer> wakerPort() {
        return wake.map(w -> w.waker().port());
    }

    /** @return the hit log's port, when vm-service is configured */
    public Optional<Integer> hitLogPort() {
        return wake.map(w -> w.hits().port());
    }

    /** @return the gRPC (and health) port */
    public int port() {
        return server.port();
    }

    /** @return the port of the on-demand TLS {@code ask} endpoint */
    public int askPort() {
        return server.port("ask");
    }

    @Override
    public void close() {
        reconciler.close();
        wake.ifPresent(Wake::close);
        standard.close();
        server.stop();
        backend.close();
        store.close();
    }
}
