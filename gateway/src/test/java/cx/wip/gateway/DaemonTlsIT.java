package cx.wip.gateway;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import cx.wip.docker.DaemonTls;
import cx.wip.docker.DaemonAddress;
import cx.wip.gateway.quota.Usage;
import cx.wip.testing.DockerCli;
import cx.wip.testing.Run;
import cx.wip.testing.TestCertificates;
import cx.wip.testing.TlsDockerd;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static cx.wip.testing.DockerCli.BUSYBOX;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway in front of a daemon that only speaks TLS with client certificates ({@code dockerd --tlsverify}, as a
 * proxmox VM's): the gateway presents its client certificate, checks the daemon's, and everything the CLI does —
 * plain calls, streamed uploads, hijacked stdin with its half-close — works over it.
 */
class DaemonTlsIT {
    private static Path work;
    private static TestCertificates certificates;
    private static TlsDockerd daemon;
    private static GatewayFixture gateway;

    @BeforeAll
    static void start() throws Exception {
        work = Files.createTempDirectory("wip-daemon-tls");
        certificates = TestCertificates.create(work.resolve("certs"), "wip-gateway");
        daemon = new TlsDockerd(certificates, work.resolve("daemon"));
        gateway = new GatewayFixture(DaemonAddress.parse(daemon.url()), daemonTls(Map.of("server-name", "localhost")));
        Run.of("sh", "-c", "docker save " + BUSYBOX + " | DOCKER_HOST=tcp://127.0.0.1:" + gateway.server().port()
                + " DOCKER_CONFIG=" + work + " docker load").call().expectSuccess();
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
        if (daemon != null) {
            daemon.close();
        }
    }

    @Test
    void callsReachTheTlsDockerd() {
        DockerCli cli = gateway.cli();
        assertThat(cli.docker("info", "--format", "{{.Name}}").call().expectSuccess().out()).isNotBlank();
        assertThat(cli.docker("images", "--format", "{{.Repository}}:{{.Tag}}").call().expectSuccess().out())
                .contains(BUSYBOX);
    }

    @Test
    void hijackedStdinHalfClosesOverTls() {
        String input = "to a tls daemon\n";
        assertThat(gateway.cli().docker("run", "--rm", "-i", "--network", "none", BUSYBOX, "sh", "-c",
                "cat; sleep 0.2; echo after-eof").stdin(input).call().expectSuccess().out())
                .isEqualTo(input + "after-eof\n");
    }

    @Test
    void usageIsReadFromTheTlsDaemon() throws Exception {
        QuotaReviewer quota = new QuotaReviewer("cx.wip.memory", 10, 2L << 30, 64L << 20);
        try (GatewayFixture counted = new GatewayFixture(DaemonAddress.parse(daemon.url()),
                daemonTls(Map.of("server-name", "localhost")), quota)) {
            DockerCli cli = counted.cli();
            cli.docker("create", "--name", "wip-tls-quota-1", BUSYBOX, "true").call().expectSuccess();
            cli.docker("create", "--name", "wip-tls-quota-2", "-m", "128m", BUSYBOX, "true").call().expectSuccess();
            cli.docker("update", "-m", "96m", "--memory-swap", "-1", "wip-tls-quota-1").call().expectSuccess();

            List<QuotaReviewer.Seen> seen = quota.seen();
            assertThat(seen).extracting(QuotaReviewer.Seen::usage).containsExactly(
                    Optional.of(new Usage(0, 0)),
                    Optional.of(new Usage(1, 64L << 20)),
                    Optional.of(new Usage(2, 128L << 20))); // the update leaves out its own 64 MiB
        } finally {
            gateway.cli().docker("rm", "-f", "wip-tls-quota-1", "wip-tls-quota-2").call();
        }
    }

    @Test
    void daemonCertificateMustNameTheAddressUnlessServerNameIsSet() throws Exception {
        try (GatewayFixture strict = new GatewayFixture(DaemonAddress.parse(daemon.url()), daemonTls(Map.of()))) {
            Run.Result refused = strict.cli().docker("ps").call();
            assertThat(refused.exitCode()).isNotZero();
            // the tenant reads a plain sentence and the request id; the daemon's address is only in the gateway's log
            assertThat(refused.err()).contains("Error response from daemon")
                    .contains("TLS handshake").contains("request id").doesNotContain(daemon.address());
        }
    }

    @Test
    void tlsDaemonWithoutClientTlsConfiguredIsAClearError() throws Exception {
        try (GatewayFixture plain = new GatewayFixture(DaemonAddress.parse(daemon.url()), Optional.empty())) {
            Run.Result refused = plain.cli().docker("ps").call();
            assertThat(refused.exitCode()).isNotZero();
            // an operator's misconfiguration: the tenant is told plainly, with the request id to quote
            assertThat(refused.err()).contains("your Docker engine is not reachable right now").contains("request id")
                    .doesNotContain(daemon.address());
        }
    }

    private static Optional<DaemonTls> daemonTls(Map<String, String> more) {
        return DaemonTls.create(Config.just(ConfigSources.create(certificates.clientTls(more))));
    }
}
