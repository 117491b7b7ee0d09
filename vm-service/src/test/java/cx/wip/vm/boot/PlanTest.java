package cx.wip.vm.boot;

import java.time.Duration;
import java.util.Map;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PlanTest {
    @Test
    void sizes_takeTheUsualSuffixes() {
        assertThat(Plan.size("512m")).isEqualTo(512L << 20);
        assertThat(Plan.size("2G")).isEqualTo(2L << 30);
        assertThat(Plan.size("1048576")).isEqualTo(1L << 20);
        assertThatThrownBy(() -> Plan.size("lots")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void plansComeFromConfig_andUnknownNamesGetTheDefaultPlan() {
        Plans plans = Plans.create(Config.just(ConfigSources.create(Map.of(
                "default-plan", "free",
                "plans.free.memory", "1g",
                "plans.free.idle-after", "PT15M",
                "plans.pro.memory", "4g",
                "plans.pro.cpus", "2"))));

        assertThat(plans.plan("pro").spec("alice").memoryBytes()).isEqualTo(4L << 30);
        assertThat(plans.plan("pro").spec("alice").cpus()).isEqualTo(2.0);
        assertThat(plans.plan("enterprise").name()).isEqualTo("free");
        assertThat(plans.plan(null).idleAfter()).isEqualTo(Duration.ofMinutes(15));
    }
}
