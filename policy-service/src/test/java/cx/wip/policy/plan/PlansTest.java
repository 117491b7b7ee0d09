package cx.wip.policy.plan;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Map;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PlansTest {

    @Test
    void appliesAPlanChange_toTheNextRequest(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("plans.yaml");
        Files.writeString(file, "plans:\n  free:\n    memory: 256m\n");
        Plans plans = Plans.create(Config.just(ConfigSources.create(Map.of("plans-file", file.toString()))));
        assertThat(plans.plan("free").orElseThrow().memoryBytes()).isEqualTo(256L << 20);

        Files.writeString(file, "plans:\n  free:\n    memory: 1g\n  pro:\n    cpus: 4\n    memory: 2g\n");
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5)));

        assertThat(plans.plan("free").orElseThrow().memoryBytes()).isEqualTo(1L << 30);
        assertThat(plans.plan("pro").orElseThrow().cpus()).isEqualTo(4.0);
    }

    @Test
    void readsInlinePlans_withDefaults() {
        Plans plans = Plans.create(Config.just(ConfigSources.create(Map.of("plans.small.cpus", "0.5"))));
        Plan small = plans.plan("small").orElseThrow();

        assertThat(small.cpus()).isEqualTo(0.5);
        assertThat(small.memoryBytes()).isEqualTo(512L << 20);
        assertThat(small.capabilities()).contains("NET_BIND_SERVICE").doesNotContain("SYS_ADMIN");
        assertThat(small.ulimits()).containsEntry("nofile", 65536L);
        assertThat(plans.plan("other")).isEmpty();
    }

    @Test
    void refusesAPlanWhoseTotalIsBelowOneContainer() {
        assertThatThrownBy(() -> Plans.create(Config.just(ConfigSources.create(Map.of("plans.bad.memory", "2g",
                "plans.bad.total-memory", "1g"))))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("total-memory");
    }

    @Test
    void parsesSizesAsDockerDoes() {
        assertThat(Plan.parseSize("512m")).isEqualTo(512L << 20);
        assertThat(Plan.parseSize("1.5g")).isEqualTo(3L << 29);
        assertThat(Plan.parseSize("64MB")).isEqualTo(64L << 20);
        assertThat(Plan.parseSize("1048576")).isEqualTo(1L << 20);
    }
}
