package cx.wip.telemetry;

import java.util.concurrent.atomic.AtomicBoolean;

import io.helidon.health.HealthCheckResponse;
import io.helidon.health.HealthCheckType;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DependencyReadinessTest {
    @Test
    void namesTheDependency_andSaysUpOrDown_only() {
        AtomicBoolean up = new AtomicBoolean(true);
        DependencyReadiness redis = DependencyReadiness.of("redis", up::get);

        assertThat(redis.name()).isEqualTo("redis");
        assertThat(redis.type()).isEqualTo(HealthCheckType.READINESS);
        assertThat(redis.call().status()).isEqualTo(HealthCheckResponse.Status.UP);
        assertThat(redis.call().details()).containsOnlyKeys("redis").containsEntry("redis", "up");

        up.set(false);
        assertThat(redis.call().status()).isEqualTo(HealthCheckResponse.Status.DOWN);
        assertThat(redis.call().details()).containsEntry("redis", "down");
    }
}
