package cx.wip.gateway;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import cx.wip.docker.DaemonTls;
import cx.wip.docker.DaemonAddress;
import cx.wip.gateway.limits.GatewayLimits;

import io.helidon.config.Config;

/**
 * The gateway's own settings (section {@code gateway}); validated on creation.
 *
 * @param host               address of the plain TCP listener (dev: loopback)
 * @param port               its port (0 picks a free one)
 * @param unixSocket         optional unix-socket listener path
 * @param tls                optional mTLS listener
 * @param adminPort          health and metrics port (loopback)
 * @param daemon             the daemon every tenant reaches when no vm-service is configured
 * @param daemonTls          client TLS toward daemons that speak TLS ({@code https://} addresses, proxmox VMs)
 * @param connectTimeout     how long to wait for a daemon connection
 * @param maxIdlePerDaemon   keep-alive connections kept per daemon
 * @param shutdownGrace      how long streams may run on after a stop was asked
 * @param limits             what one tenant may hold at once, buffer budgets, head and idle timeouts
 */
public record GatewayConfig(String host, int port, Optional<Path> unixSocket, Optional<TlsListener> tls, int adminPort,
                            DaemonAddress daemon, Optional<DaemonTls> daemonTls, Duration connectTimeout, int maxIdlePerDaemon,
                            Duration shutdownGrace, GatewayLimits limits) {

    /** Settings with the default limits. */
    public GatewayConfig(String host, int port, Optional<Path> unixSocket, Optional<TlsListener> tls, int adminPort,
                         DaemonAddress daemon, Optional<DaemonTls> daemonTls, Duration connectTimeout,
                         int maxIdlePerDaemon, Duration shutdownGrace) {
        this(host, port, unixSocket, tls, adminPort, daemon, daemonTls, connectTimeout, maxIdlePerDaemon, shutdownGrace,
                GatewayLimits.DEFAULTS);
    }

    /** The same settings with other limits (tests). */
    public GatewayConfig withLimits(GatewayLimits other) {
        return new GatewayConfig(host, port, unixSocket, tls, adminPort, daemon, daemonTls, connectTimeout,
                maxIdlePerDaemon, shutdownGrace, other);
    }

    /**
     * The TLS listener: the server's certificate and key (PEM), and the CA whose client certificates are accepted.
     *
     * @param proxyProtocol every connection starts with a PROXY protocol header (v1 or v2, before the TLS handshake),
     *                      as Traefik's TCP passthrough sends it: the client address is the header's source, so the
     *                      failure throttle counts real clients, not the proxy. Connections without one are refused.
     */
    public record TlsListener(int port, Path certificate, Path key, Path clientCa, boolean requireClientCertificate,
                              boolean proxyProtocol) {
        /** Without the PROXY protocol (clients connect directly). */
        public TlsListener(int port, Path certificate, Path key, Path clientCa, boolean requireClientCertificate) {
            this(port, certificate, key, clientCa, requireClientCertificate, false);
        }

        static Optional<TlsListener> create(Config tls) {
            Optional<String> cert = tls.get("cert").asString().filter(s -> !s.isBlank());
            if (cert.isEmpty()) {
                return Optional.empty();
            }
            TlsListener listener = new TlsListener(tls.get("port").asInt().orElse(2376), Path.of(cert.get()),
                    Path.of(tls.get("key").asString().get()), Path.of(tls.get("client-ca").asString().get()),
                    tls.get("require-client-cert").asBoolean().orElse(true),
                    tls.get("proxy-protocol").asBoolean().orElse(false));
            for (Path p : new Path[] {listener.certificate, listener.key, listener.clientCa}) {
                if (!p.toFile().canRead()) {
                    throw new IllegalArgumentException("gateway.tls: cannot read " + p);
                }
            }
            return Optional.of(listener);
        }
    }

    public static GatewayConfig create(Config config) {
        int port = config.get("port").asInt().orElse(2375);
        int admin = config.get("admin-port").asInt().orElse(9100);
        if (port < 0 || port > 65535 || admin < 0 || admin > 65535) {
            throw new IllegalArgumentException("gateway.port and gateway.admin-port must be 0..65535");
        }
        return new GatewayConfig(
                config.get("host").asString().orElse("127.0.0.1"),
                port,
                config.get("unix-socket").asString().filter(s -> !s.isBlank()).map(Path::of),
                TlsListener.create(config.get("tls")),
                admin,
                DaemonAddress.parse(config.get("daemon").asString().orElse("unix:///var/run/docker.sock")),
                DaemonTls.create(config.get("daemon-tls")),
                config.get("connect-timeout").as(Duration.class).orElse(Duration.ofSeconds(2)),
                config.get("max-idle-per-daemon").asInt().orElse(32),
                config.get("shutdown-grace").as(Duration.class).orElse(Duration.ofSeconds(10)),
                GatewayLimits.create(config.get("limits")));
    }
}
