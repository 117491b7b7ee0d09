package cx.wip.docker;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import javax.net.ssl.SSLException;

import cx.wip.testing.DockerCli;
import cx.wip.testing.Run;
import cx.wip.testing.TestCertificates;
import cx.wip.testing.TlsDockerd;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A real {@code dockerd --tlsverify} demanding client certificates, as a proxmox VM's daemon is ({@link TlsDockerd}, in
 * a network namespace of its own). Its certificate names {@code localhost} only, not its address (a VM template's
 * certificate cannot know the address DHCP gives), so {@code server-name} is what makes it pass. (socat in front of
 * the host's socket would be lighter, but it cannot resume TLS sessions with client certificates, and the JDK does.)
 */
class TlsTransportIT extends DaemonTransportContract {
    private static final int PORT = 2376;
    private static Path work;
    private static TestCertificates certificates;
    private static TlsDockerd daemon;

    @BeforeAll
    static void start() throws Exception {
        work = Files.createTempDirectory("wip-docker-client-tls");
        certificates = TestCertificates.create(work.resolve("certs"), "wip-docker-client");
        daemon = new TlsDockerd(certificates, work.resolve("daemon"));
        daemon.seed(DockerCli.BUSYBOX);
    }

    @AfterAll
    static void stop() {
        if (daemon != null) {
            daemon.close();
        }
        Run.of("rm", "-rf", work.toString()).call();
    }

    @Override
    protected DaemonTransport transport() {
        return new TlsTransport(address(PORT), tls(Map.of("server-name", "localhost")).orElseThrow(),
                Duration.ofSeconds(5));
    }

    @Override
    protected DaemonTransport nowhere() {
        return new TlsTransport(address(PORT + 1), tls(Map.of("server-name", "localhost")).orElseThrow(),
                Duration.ofSeconds(5));
    }

    @Test
    void aCertificateThatDoesNotNameTheAddress_isRefused() {
        DaemonTransport strict = new TlsTransport(address(PORT), tls(Map.of()).orElseThrow(),
                Duration.ofSeconds(5));

        assertThatThrownBy(strict::connect).isInstanceOf(SSLException.class);
        assertThatThrownBy(() -> new DockerEngine(strict, Duration.ofSeconds(5)).info())
                .isInstanceOf(DaemonUnreachable.class).hasMessageContaining(daemon.address());
    }

    @Test
    void aTlsDaemonWithoutClientTlsConfigured_isAClearError() {
        DaemonTransport none = DaemonTransport.of(address(PORT), Optional.empty(), Duration.ofSeconds(5));

        assertThatThrownBy(() -> new DockerEngine(none, Duration.ofSeconds(5)).info())
                .isInstanceOf(DaemonUnreachable.class).hasMessageContaining("speaks TLS")
                .hasMessageContaining("daemon-tls");
    }

    @Test
    void plainTcp_toTheTlsPort_getsNoAnswer() {
        DaemonTransport plain = new TcpTransport(DaemonAddress.parse("tcp://" + daemon.address() + ":" + PORT),
                Duration.ofSeconds(5));

        assertThat(new DockerEngine(plain, Duration.ofSeconds(5)).ping()).isFalse();
    }

    private static DaemonAddress address(int port) {
        return DaemonAddress.parse("https://" + daemon.address() + ":" + port);
    }

    private static Optional<DaemonTls> tls(Map<String, String> more) {
        return DaemonTls.create(Config.just(ConfigSources.create(certificates.clientTls(more))));
    }
}
