package cx.wip.gateway;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import cx.wip.docker.DaemonTls;
import cx.wip.docker.DaemonAddress;
import cx.wip.gateway.review.Reviewer;
import cx.wip.testing.DockerCli;
import cx.wip.testing.TestCertificates;

/**
 * A real gateway, in-process, in front of the host's real dockerd: plain TCP, a unix socket and mTLS listeners on
 * free ports, and real docker clients pointed at each.
 */
final class GatewayFixture implements AutoCloseable {
    static final String HOST_DAEMON = "unix:///var/run/docker.sock";

    private final Path work;
    private final TestCertificates certificates;
    private final GatewayServer server;

    GatewayFixture() throws Exception {
        this(DaemonAddress.parse(HOST_DAEMON));
    }

    GatewayFixture(DaemonAddress daemon) throws Exception {
        this(daemon, Optional.empty());
    }

    /** A gateway in front of one daemon, speaking TLS to it when {@code daemonTls} is given. */
    GatewayFixture(DaemonAddress daemon, Optional<DaemonTls> daemonTls) throws Exception {
        this(daemon, daemonTls, null);
    }

    /**
     * As above, the bodies reviewed by {@code reviewer} (null: unreviewed); a {@link QuotaReviewer} counts the
     * containers carrying its label.
     */
    GatewayFixture(DaemonAddress daemon, Optional<DaemonTls> daemonTls, Reviewer reviewer) throws Exception {
        this.work = Files.createTempDirectory("wip-gateway-it");
        Files.createDirectories(work.resolve("docker-config"));
        this.certificates = TestCertificates.create(work.resolve("certs"), "tenant-test");
        GatewayConfig config = new GatewayConfig("127.0.0.1", 0, Optional.of(work.resolve("gateway.sock")),
                Optional.of(new GatewayConfig.TlsListener(0, certificates.serverCertificate(), certificates.serverKey(),
                        certificates.ca(), true)),
                0, daemon, daemonTls, Duration.ofSeconds(2), 16, Duration.ofSeconds(2));
        GatewayServer.Builder builder = GatewayServer.builder().config(config).reviewer(reviewer);
        if (reviewer instanceof QuotaReviewer quota) {
            builder.usageLabel(quota.label());
        }
        this.server = builder.build().start();
    }

    /** Clients over plain TCP. */
    DockerCli cli() {
        return DockerCli.at("tcp://127.0.0.1:" + server.port(), work.resolve("docker-config"));
    }

    /** Clients over the unix socket. */
    DockerCli unixCli() {
        return DockerCli.at("unix://" + work.resolve("gateway.sock"), work.resolve("docker-config"));
    }

    /** Clients over mTLS with a client certificate from the test CA. */
    DockerCli tlsCli() {
        return DockerCli.at("tcp://127.0.0.1:" + server.tlsPort(), work.resolve("docker-config"))
                .withTls(certificates.clientBundle());
    }

    /** Clients straight to the host daemon, to prepare and compare. */
    DockerCli direct() {
        return DockerCli.at(HOST_DAEMON, work.resolve("docker-config"));
    }

    TestCertificates certificates() {
        return certificates;
    }

    GatewayServer server() {
        return server;
    }

    Path work() {
        return work;
    }

    @Override
    public void close() {
        server.close();
    }
}
