package cx.wip.gateway.identity;

import java.time.Duration;
import java.util.Map;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AuthSettingsTest {
    private static Config config(Map<String, String> values) {
        return Config.just(ConfigSources.create(values));
    }

    @Test
    void readsTheGatewayAuthSection_fromRootOrNode() {
        final Config root = config(Map.of("gateway.auth.address", "auth:9101", "gateway.auth.cache-ttl", "PT1S",
                                          "gateway.auth.host-key.enabled", "false", "gateway.auth.throttle.failures", "5"));
        final AuthSettings fromRoot = AuthSettings.create(root);
        assertThat(fromRoot.address()).isEqualTo("auth:9101");
        assertThat(fromRoot.cacheTtl()).isEqualTo(Duration.ofSeconds(1));
        assertThat(fromRoot.hostKeyEnabled()).isFalse();
        assertThat(fromRoot.throttleFailures()).isEqualTo(5);
        assertThat(AuthSettings.create(root.get("gateway.auth"))).isEqualTo(fromRoot);
    }

    @Test
    void defaults_areLocalAuthService_twoSecondCache_hostKeysOn() {
        final AuthSettings settings = AuthSettings.create(config(Map.of()));
        assertThat(settings.address()).isEqualTo("127.0.0.1:9101");
        assertThat(settings.cacheTtl()).isEqualTo(Duration.ofSeconds(2));
        assertThat(settings.hostKeyEnabled()).isTrue();
        assertThat(settings.hostKeyDomain()).isEqualTo("wip.localhost");
    }

    @Test
    void refusesACacheLongerThanTheRevocationBound() {
        assertThatThrownBy(() -> AuthSettings.create(config(Map.of("gateway.auth.cache-ttl", "PT10S"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("5 s");
    }
}
