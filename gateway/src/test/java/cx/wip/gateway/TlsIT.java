package cx.wip.gateway;

import java.util.UUID;

import cx.wip.testing.DockerCli;
import cx.wip.testing.Run;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static cx.wip.testing.DockerCli.BUSYBOX;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway's mTLS listener with the real CLIs. When stdin ends the CLI sends TLS close_notify (a half-close): the
 * output that follows must still arrive — the case Helidon's NIO TLS socket lost.
 */
class TlsIT {
    private static GatewayFixture gateway;
    private static DockerCli tls;

    @BeforeAll
    static void start() throws Exception {
        gateway = new GatewayFixture();
        tls = gateway.tlsCli();
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @Test
    void versionOverMutualTls() {
        assertThat(tls.docker("version", "--format", "{{.Server.APIVersion}}").call().expectSuccess().out()).isNotBlank();
    }

    @Test
    void runWithoutTty_printsItsOutputAfterStdinEnds_cli28and20() {
        String input = "over tls\nsecond line\n";
        assertThat(tls.docker("run", "--rm", "-i", BUSYBOX, "sh", "-c", "cat; sleep 0.3; echo after-eof").stdin(input)
                .call().expectSuccess().out()).isEqualTo(input + "after-eof\n");
        assertThat(tls.docker20("run", "--rm", "-i", BUSYBOX, "sh", "-c", "cat; sleep 0.3; echo after-eof").stdin(input)
                .call().expectSuccess().out()).isEqualTo(input + "after-eof\n");
    }

    @Test
    void execInteractive_printsItsOutputAfterStdinEnds() {
        String container = "wip-tls-" + UUID.randomUUID().toString().substring(0, 8);
        tls.docker("run", "-d", "--name", container, BUSYBOX, "sleep", "60").call().expectSuccess();
        try {
            assertThat(tls.docker("exec", "-i", container, "sh", "-c", "cat; echo exec-after-eof").stdin("in\n").call()
                    .expectSuccess().out()).isEqualTo("in\nexec-after-eof\n");
        } finally {
            tls.docker("rm", "-f", container).call();
        }
    }

    @Test
    void dockerContext_withTheClientBundle_works() {
        String context = "wip-it-" + UUID.randomUUID().toString().substring(0, 8);
        DockerCli plain = gateway.cli();
        var bundle = gateway.certificates().clientBundle();
        plain.docker("context", "create", context, "--docker", "host=tcp://127.0.0.1:" + gateway.server().tlsPort()
                + ",ca=" + bundle.resolve("ca.pem") + ",cert=" + bundle.resolve("cert.pem") + ",key="
                + bundle.resolve("key.pem")).call().expectSuccess();
        try {
            assertThat(plain.docker("--context", context, "run", "--rm", "-i", BUSYBOX, "cat").stdin("ctx\n").call()
                    .expectSuccess().out()).isEqualTo("ctx\n");
        } finally {
            plain.docker("context", "rm", "-f", context).call();
        }
    }

    @Test
    void withoutAClientCertificate_theHandshakeIsRefused() {
        DockerCli anonymous = DockerCli.at("tcp://127.0.0.1:" + gateway.server().tlsPort(), gateway.work().resolve("empty"));
        Run.Result ps = anonymous.docker("--tlsverify", "--tlscacert", gateway.certificates().ca().toString(), "ps").call();
        assertThat(ps.exitCode()).isNotZero();
        assertThat(ps.err()).containsAnyOf("certificate required", "bad certificate", "handshake");
    }
}
