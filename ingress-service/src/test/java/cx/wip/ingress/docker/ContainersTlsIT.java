package cx.wip.ingress.docker;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import cx.wip.docker.DaemonTls;
import cx.wip.ingress.BackendException;
import cx.wip.testing.DockerCli;
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
 * Ingress reads the containers of a tenant daemon that only speaks TLS with client certificates (a proxmox VM's
 * {@code dockerd --tlsverify}), as the gateway reports it: {@code https://address:2376}.
 */
class ContainersTlsIT {
    private static Path work;
    private static TestCertificates certificates;
    private static TlsDockerd daemon;
    private static final String NAME = "wip-tls-" + UUID.randomUUID().toString().substring(0, 8);

    @BeforeAll
    static void start() throws Exception {
        work = Files.createTempDirectory("wip-ingress-tls");
        certificates = TestCertificates.create(work.resolve("certs"), "wip-ingress");
        daemon = new TlsDockerd(certificates, work.resolve("daemon"));
        daemon.seed(DockerCli.BUSYBOX);
        daemon.docker("create", "--network", "none", "--name", NAME, "--label", "com.wip.http=app.example.com:8080",
                DockerCli.BUSYBOX, "sleep", "60").call().expectSuccess();
    }

    @AfterAll
    static void stop() {
        if (daemon != null) {
            daemon.close();
        }
    }

    @Test
    void inspectsAndListsOverTls() {
        Containers client = Containers.of(URI.create(daemon.url()), tls(Map.of("server-name", "localhost")));

        ContainerState state = client.inspect(NAME).orElseThrow();
        assertThat(state.labels()).containsEntry("com.wip.http", "app.example.com:8080");
        assertThat(client.withLabel("com.wip.http")).containsExactly(state.id());
    }

    @Test
    void aCertificateThatDoesNotNameTheAddressIsRefused() {
        Containers strict = Containers.of(URI.create(daemon.url()), tls(Map.of()));

        assertThatThrownBy(() -> strict.inspect(NAME)).isInstanceOf(BackendException.class)
                .hasMessageContaining(daemon.address());
    }

    @Test
    void aTlsDaemonWithoutClientTlsConfiguredIsAClearError() {
        Containers plain = Containers.of(URI.create(daemon.url()), Optional.empty());

        assertThatThrownBy(() -> plain.inspect(NAME)).isInstanceOf(BackendException.class)
                .hasMessageContaining("speaks TLS");
    }

    private static Optional<DaemonTls> tls(Map<String, String> more) {
        return DaemonTls.create(Config.just(ConfigSources.create(certificates.clientTls(more))));
    }
}
