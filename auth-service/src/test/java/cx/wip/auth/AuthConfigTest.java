package cx.wip.auth;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AuthConfigTest {
    private static AuthConfig read(Map<String, String> values) {
        return AuthConfig.create(Config.just(ConfigSources.create(values)).get("auth"));
    }

    @Test
    void defaults_areLoopbackPortsLocalRedisAndDevFiles() {
        final AuthConfig config = read(Map.of());
        assertThat(config.host()).isEqualTo("127.0.0.1");
        assertThat(config.port()).isEqualTo(9101);
        assertThat(config.adminHost()).isEqualTo("127.0.0.1");
        assertThat(config.adminPort()).isEqualTo(9111);
        assertThat(config.adminTokenFile()).isEqualTo(Path.of(".wip/admin/admin.token"));
        assertThat(config.redisUri()).isEqualTo("redis://127.0.0.1:6379");
        assertThat(config.keyPrefix()).isEqualTo("wip:auth:");
        assertThat(config.ca().dir()).isEqualTo(Path.of(".wip/ca"));
        assertThat(config.ca().domain()).isEqualTo("wip.localhost");
        assertThat(config.ca().clientValidity()).isEqualTo(Duration.ofDays(365));
    }

    @Test
    void everyKey_isRead() {
        final AuthConfig config = read(Map.of("auth.port", "1", "auth.admin.port", "2", "auth.admin.host", "10.0.0.1",
                                              "auth.redis.uri", "redis://r:1", "auth.redis.key-prefix", "p:",
                                              "auth.ca.dir", "/x", "auth.ca.domain", "wip.example",
                                              "auth.ca.client-validity", "P7D", "auth.token-key-file", "/k",
                                              "auth.admin.token-file", "/a"));
        assertThat(config).isEqualTo(new AuthConfig("127.0.0.1", 1, "10.0.0.1", 2, Path.of("/a"), "redis://r:1", "p:",
                                                    Path.of("/k"),
                                                    new cx.wip.auth.ca.CaConfig(Path.of("/x"), "wip.example", true,
                                                                                Duration.ofDays(7))));
    }

    @Test
    void invalidValues_areRefusedAtStart() {
        assertThatThrownBy(() -> read(Map.of("auth.redis.key-prefix", " "))).hasMessageContaining("key-prefix");
        assertThatThrownBy(() -> read(Map.of("auth.ca.domain", "*.wip.example"))).hasMessageContaining("auth.ca.domain");
        assertThatThrownBy(() -> read(Map.of("auth.ca.client-validity", "PT0S"))).hasMessageContaining("client-validity");
    }
}
