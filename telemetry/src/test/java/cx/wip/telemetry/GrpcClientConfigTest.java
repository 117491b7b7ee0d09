package cx.wip.telemetry;

import java.time.Duration;
import java.util.Map;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GrpcClientConfigTest {
    private static Config config(Map<String, String> values) {
        return Config.just(ConfigSources.create(values));
    }

    @Test
    void keysLeftOut_takeTheClientsDefaults_andTheSharedKeepalive() {
        GrpcClientConfig client = GrpcClientConfig.create(config(Map.of()), "127.0.0.1:9101", Duration.ofSeconds(2));

        assertThat(client).isEqualTo(GrpcClientConfig.of("127.0.0.1:9101", Duration.ofSeconds(2)));
        assertThat(client.keepAliveTime()).isEqualTo(Duration.ofSeconds(30));
        assertThat(client.keepAliveTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(client.keepAliveWithoutCalls()).isTrue();
        assertThat(client.maxMessageSize()).isEqualTo(4 * 1024 * 1024);
    }

    @Test
    void readsEveryKey_ofItsOwnSection() {
        Config root = config(Map.of("gateway.auth.address", "auth:9101", "gateway.auth.timeout", "PT3S",
                "gateway.auth.keepalive.time", "PT1M", "gateway.auth.keepalive.timeout", "PT5S",
                "gateway.auth.keepalive.without-calls", "false", "gateway.auth.max-message-size", "1024",
                "gateway.vm.address", "vm:9102"));

        assertThat(GrpcClientConfig.create(root.get("gateway.auth"), "127.0.0.1:9101", Duration.ofSeconds(2)))
                .isEqualTo(new GrpcClientConfig("auth:9101", Duration.ofSeconds(3), Duration.ofMinutes(1),
                        Duration.ofSeconds(5), false, 1024));
        assertThat(GrpcClientConfig.create(root.get("gateway.vm"), "127.0.0.1:9102", Duration.ofSeconds(1)))
                .isEqualTo(GrpcClientConfig.of("vm:9102", Duration.ofSeconds(1)));
    }

    @Test
    void aValueOutOfRange_failsNamingTheKey() {
        Config root = config(Map.of("gateway.policy.keepalive.time", "PT0S"));

        assertThatThrownBy(() -> GrpcClientConfig.create(root.get("gateway.policy"), "p:1", Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("gateway.policy.keepalive.time must be positive, got PT0S");
        assertThatThrownBy(() -> GrpcClientConfig.of("p:1", Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("timeout must be positive");
    }
}
