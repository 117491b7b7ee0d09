package cx.wip.gateway;

import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import cx.wip.docker.DaemonClient;
import cx.wip.gateway.endpoint.EndpointResolver;
import cx.wip.gateway.endpoint.StaticEndpointResolver;
import cx.wip.gateway.identity.Authenticator;
import cx.wip.gateway.identity.ClientCertificates;
import cx.wip.gateway.identity.SingleTenant;
import cx.wip.gateway.lifecycle.LifecycleListener;
import cx.wip.gateway.lifecycle.Unreported;
import cx.wip.gateway.limits.BufferBudget;
import cx.wip.gateway.limits.GatewayLimits;
import cx.wip.gateway.limits.HeadDeadline;
import cx.wip.gateway.limits.LimitMetrics;
import cx.wip.gateway.limits.TenantLimits;
import cx.wip.gateway.proxy.Forwarder;
import cx.wip.gateway.quota.Quotas;
import cx.wip.gateway.proxy.PassThroughEncoding;
import cx.wip.gateway.review.Redactor;
import cx.wip.gateway.review.Reviewer;
import cx.wip.gateway.review.Unreviewed;

import io.helidon.common.configurable.Resource;
import io.helidon.common.pki.Keys;
import io.helidon.common.socket.SocketOptions;
import io.helidon.common.tls.Tls;
import io.helidon.common.tls.TlsClientAuth;
import io.helidon.health.HealthCheck;
import io.helidon.webserver.ListenerConfig;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.http.DirectHandler;
import io.helidon.webserver.http.DirectHandlers;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http1.Http1Config;
import io.helidon.webserver.observe.ObserveFeature;
import io.helidon.webserver.observe.health.HealthObserver;
import io.helidon.webserver.observe.metrics.MetricsObserver;

/**
 * The gateway as a server: listeners (plain TCP, unix socket, mTLS), the proxy routing on each, health and metrics on
 * the admin port. Tests start it in-process and may pass their own seams.
 */
public final class GatewayServer implements AutoCloseable {
    private final WebServer server;
    private final DaemonClient daemons;
    private final GatewayConfig config;
    private final List<AutoCloseable> closeables;
    private final HeadDeadline heads;
    private final TenantLimits tenantLimits;
    private final Quotas quotas;

    private GatewayServer(Builder builder) {
        this.config = Objects.requireNonNull(builder.config, "config");
        this.daemons = new DaemonClient(config.connectTimeout(), config.maxIdlePerDaemon(), config.daemonTls());
        this.closeables = List.copyOf(builder.closeables);
        GatewayLimits limits = config.limits();
        this.heads = new HeadDeadline(limits.headTimeout());
        this.tenantLimits = new TenantLimits(limits);
        BufferBudget buffers = new BufferBudget(limits);
        LimitMetrics.register(tenantLimits, buffers, heads);
        EndpointResolver endpoints = builder.endpoints != null ? builder.endpoints
                : new StaticEndpointResolver(config.daemon());
        endpoints.openSessions(() -> tenantLimits.tenantsHolding(TenantLimits.Kind.HIJACKED, TenantLimits.Kind.STREAM));
        Reviewer reviewer = builder.reviewer != null ? builder.reviewer : new Unreviewed();
        this.quotas = new Quotas(reviewer.countsUsage(), endpoints, daemons, limits.quotaWait(), limits.usageTimeout(),
                builder.usageLabel);
        Authenticator authenticator = builder.authenticator != null ? builder.authenticator : new SingleTenant();
        ProxyHandler proxy = new ProxyHandler(
                authenticator,
                endpoints,
                reviewer,
                builder.lifecycle != null ? builder.lifecycle : new Unreported(),
                new Forwarder(daemons),
                builder.redactor, tenantLimits, buffers, quotas);
        ClientCertificateHandler certificates = new ClientCertificateHandler(authenticator, builder.certificates);

        WebServerConfig.Builder web = WebServer.builder()
                .host(config.host())
                .port(config.port())
                .shutdownGracePeriod(config.shutdownGrace())
                .connectionOptions(connectionOptions(heads))
                .idleConnectionTimeout(limits.idleTimeout())
                .idleConnectionPeriod(idlePeriod(limits))
                // Blocking sockets on the plain listener too: Helidon's NIO socket copies every write through an
                // 8 KiB buffer (a 32 KiB chunk of `docker save` became five write calls) and holds 16 KiB per
                // connection; the blocking one writes each piece in one call and holds 8 KiB
                .useNio(false)
                .protocolsDiscoverServices(false)
                .addProtocol(http1(heads))
                .contentEncoding(PassThroughEncoding.context())
                .routing(routing -> routes(routing, certificates, proxy))
                .directHandlers(dockerErrors())
                .putSocket("admin", admin -> admin.host("127.0.0.1").port(config.adminPort()))
                .addFeature(observe(builder.healthChecks));
        config.unixSocket().ifPresent(path -> {
            try {
                Files.deleteIfExists(path);
                Files.createDirectories(path.toAbsolutePath().getParent());
            } catch (IOException e) {
                throw new IllegalStateException("cannot prepare unix socket " + path + ": " + e.getMessage(), e);
            }
            web.putSocket("unix", listener -> proxyListener(listener, routes(HttpRouting.builder(), certificates, proxy),
                                                            heads, limits)
                    .bindAddress(UnixDomainSocketAddress.of(path)));
        });
        // Blocking sockets on the TLS listener: Helidon's NIO TLS socket closes both directions when the client's
        // close_notify arrives (the docker CLI sends it when stdin ends), and the output of `run -i`/`exec -i` was lost.
        // The JDK's SSLSocket keeps a TLS 1.3 half-close a half-close; TLS 1.3 is therefore required.
        config.tls().ifPresent(tls -> web.putSocket("tls", listener -> proxyListener(
                        listener, routes(HttpRouting.builder(), certificates, proxy), heads, limits)
                .host(config.host())
                .port(tls.port())
                .useNio(false)
                // Helidon reads the PROXY header off the channel before the TLS handshake, blocking sockets too
                .enableProxyProtocol(tls.proxyProtocol())
                .tls(tls(tls))));
        this.server = web.build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Starts and returns once every listener is bound. */
    public GatewayServer start() {
        server.start();
        return this;
    }

    public int port() {
        return server.port();
    }

    public int tlsPort() {
        return server.port("tls");
    }

    public int adminPort() {
        return server.port("admin");
    }

    public GatewayConfig config() {
        return config;
    }

    /** What tenants hold now under their caps (tests check that nothing leaked). */
    public int heldByTenant(String tenant) {
        int held = 0;
        for (TenantLimits.Kind kind : TenantLimits.Kind.values()) {
            held += tenantLimits.inUse(tenant, kind);
        }
        return held;
    }

    /** Tenants holding or waiting for their quota lock now (tests check that nothing leaked). */
    public int quotaLockedTenants() {
        return quotas.lockedTenants();
    }

    /** Stops accepting, lets open streams end within the configured grace, closes pooled daemon connections. */
    @Override
    public void close() {
        server.stop();
        heads.close();
        daemons.close();
        for (AutoCloseable client : closeables) {
            try {
                client.close();
            } catch (Exception ignored) {
                // shutting down anyway
            }
        }
    }

    /**
     * The platform's own endpoint first (a {@code /wip/…} path, which no Docker route has), then the Docker API: every
     * other request takes the proxy's path.
     */
    private static HttpRouting.Builder routes(HttpRouting.Builder routing, ClientCertificateHandler certificates,
                                              ProxyHandler proxy) {
        return routing.post(ClientCertificateHandler.PATH, certificates).any(proxy);
    }

    private static ListenerConfig.Builder proxyListener(ListenerConfig.Builder listener, HttpRouting.Builder routing,
                                                        HeadDeadline heads, GatewayLimits limits) {
        return listener.protocolsDiscoverServices(false)
                .connectionOptions(connectionOptions(heads))
                .idleConnectionTimeout(limits.idleTimeout())
                .idleConnectionPeriod(idlePeriod(limits))
                .addProtocol(http1(heads))
                .directHandlers(dockerErrors())
                .contentEncoding(PassThroughEncoding.context())
                .routing(routing);
    }

    /** Errors Helidon answers itself come out as Docker JSON too. */
    private static DirectHandlers dockerErrors() {
        DockerDirectHandler handler = new DockerDirectHandler();
        DirectHandlers.Builder handlers = DirectHandlers.builder();
        for (DirectHandler.EventType type : DirectHandler.EventType.values()) {
            handlers.addHandler(type, handler);
        }
        return handlers.build();
    }

    /** Each accepted connection gets the deadline for its first request head (slowloris). */
    private static SocketOptions connectionOptions(HeadDeadline heads) {
        return heads.socketOptions(SocketOptions.builder().tcpNoDelay(true).build());
    }

    /**
     * Helidon closes kept-alive connections that wait for their next request longer than the idle timeout (it
     * interrupts only a connection waiting for a request line: streams, hijacks and uploads are not cut).
     */
    private static java.time.Duration idlePeriod(GatewayLimits limits) {
        return limits.idleTimeout().dividedBy(4);
    }

    /**
     * HTTP/1.1 only: no h2c upgrader may take BuildKit's {@code /session}; large heads allowed (registry auth
     * headers); CLI 20.10 sends an empty Host on {@code /session} over a unix socket. The head deadline listens to
     * each request line and head.
     */
    private static Http1Config http1(HeadDeadline heads) {
        return Http1Config.builder()
                .addReceiveListener(heads)
                .maxPrologueLength(64 * 1024)
                .maxHeadersSize(256 * 1024)
                .validateRequestHostHeader(false)
                .validatePath(false)
                .build();
    }

    private static ObserveFeature observe(List<HealthCheck> extraChecks) {
        var health = HealthObserver.builder().details(true).addCheck(new GatewayHealth());
        extraChecks.forEach(health::addCheck);
        return ObserveFeature.builder()
                .sockets(List.of("admin"))
                .addObserver(health.build())
                .addObserver(MetricsObserver.create())
                .build();
    }

    private static Tls tls(GatewayConfig.TlsListener tls) {
        Keys server = Keys.builder()
                .pem(pem -> pem.key(Resource.create(tls.key())).certChain(Resource.create(tls.certificate())))
                .build();
        Keys clientCa = Keys.builder().pem(pem -> pem.certificates(Resource.create(tls.clientCa()))).build();
        Tls base = Tls.builder()
                .privateKey(server.privateKey().orElseThrow())
                .privateKeyCertChain(server.certChain())
                .trust(clientCa.certs())
                .clientAuth(tls.requireClientCertificate() ? TlsClientAuth.REQUIRED : TlsClientAuth.OPTIONAL)
                .addEnabledProtocol("TLSv1.3")
                .build();
        return Tls.builder()
                .sslContext(MutualTlsContext.wrap(base.sslContext(), base.sslParameters()))
                .sslParameters(base.sslParameters())
                .build();
    }

    /** Builds a gateway; unset seams take the single-daemon development defaults. */
    public static final class Builder {
        private GatewayConfig config;
        private Authenticator authenticator;
        private EndpointResolver endpoints;
        private Reviewer reviewer;
        private LifecycleListener lifecycle;
        private Redactor redactor;
        private String usageLabel = Quotas.PLATFORM_LABEL;
        private ClientCertificates certificates;
        private final List<AutoCloseable> closeables = new ArrayList<>();
        private final List<HealthCheck> healthChecks = new ArrayList<>();

        private Builder() {
        }

        /** Closed when the gateway stops (gRPC channels of the platform clients). */
        public Builder closeWith(AutoCloseable closeable) {
            closeables.add(closeable);
            return this;
        }

        /** An extra health check on the admin port (e.g. readiness of the platform services' channels). */
        public Builder healthCheck(HealthCheck check) {
            healthChecks.add(check);
            return this;
        }

        /** Hides host details from daemon answers; without one (single-user dev mode) answers pass unchanged. */
        public Builder redactor(Redactor redactor) {
            this.redactor = redactor;
            return this;
        }

        /**
         * The label that marks the containers a quota counts (tests on a shared daemon count only their own: the
         * policy stamps {@link Quotas#PLATFORM_LABEL} in production).
         */
        Builder usageLabel(String label) {
            this.usageLabel = Objects.requireNonNull(label, "label");
            return this;
        }

        /** Self-service client certificates ({@code POST /wip/v1/credentials/client-certificate}); none without. */
        public Builder clientCertificates(ClientCertificates certificates) {
            this.certificates = certificates;
            return this;
        }

        public Builder config(GatewayConfig config) {
            this.config = config;
            return this;
        }

        public Builder authenticator(Authenticator authenticator) {
            this.authenticator = authenticator;
            return this;
        }

        public Builder endpoints(EndpointResolver endpoints) {
            this.endpoints = endpoints;
            return this;
        }

        public Builder reviewer(Reviewer reviewer) {
            this.reviewer = reviewer;
            return this;
        }

        public Builder lifecycle(LifecycleListener lifecycle) {
            this.lifecycle = lifecycle;
            return this;
        }

        public GatewayServer build() {
            return new GatewayServer(this);
        }
    }
}
