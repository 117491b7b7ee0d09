package cx.wip.docker;

import java.time.Duration;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DaemonAddressTest {

    @Test
    void eachAddressGetsItsTransport() {
        assertThat(DaemonTransport.of(DaemonAddress.parse("unix:///var/run/docker.sock"), Optional.empty(),
                Duration.ofSeconds(1))).isInstanceOf(UnixTransport.class);
        assertThat(DaemonTransport.of(DaemonAddress.parse("tcp://10.0.0.2:2375"), Optional.empty(),
                Duration.ofSeconds(1))).isInstanceOf(TcpTransport.class);
        assertThat(DaemonTransport.of(DaemonAddress.parse("https://10.0.0.2"), Optional.empty(),
                Duration.ofSeconds(1))).isInstanceOf(DaemonTransport.TlsUnconfigured.class);
    }

    @Test
    void httpsIsTcpWithTls_onDockersDefaultPorts() {
        DaemonAddress tls = DaemonAddress.parse("https://10.0.0.2");
        assertThat(tls.tls()).isTrue();
        assertThat(tls.port()).isEqualTo(2376);
        assertThat(tls).hasToString("https://10.0.0.2");
        assertThat(DaemonAddress.parse("tcp://10.0.0.2").port()).isEqualTo(2375);
        assertThat(DaemonAddress.of("tcp://10.0.0.2:2376", true)).hasToString("https://10.0.0.2:2376");
    }

    @Test
    void otherSchemesAreRefused() {
        assertThatThrownBy(() -> DaemonAddress.parse("http://10.0.0.2:2375"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unix:///path");
        assertThatThrownBy(() -> DaemonAddress.parse("ssh://user@host")).isInstanceOf(IllegalArgumentException.class);
    }
}
