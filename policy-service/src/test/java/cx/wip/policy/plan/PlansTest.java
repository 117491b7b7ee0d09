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

        Files.writeString(file, "plans:\n  free:\n    memory: 1g\n  pro:\n    cpus: 2\n    memory: 2g\n");
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5)));

        assertThat(plans.plan("free").orElseThrow().memoryBytes()).isEqualTo(1L << 30);
        assertThat(plans.plan("pro").orElseThrow().cpus()).isEqualTo(2.0);
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
    void refusesAPlanWhoseContainersExceedTheirEngine_withTheNumbers() {
        assertThatThrownBy(() -> Plans.create(Config.just(ConfigSources.create(Map.of("plans.bad.memory", "2g",
                "plans.bad.total-memory", "2g", "plans.bad.engine.memory", "1g")))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("memory 2GiB and total-memory 2GiB must be at most the engine's 1GiB");
        assertThatThrownBy(() -> Plans.create(Config.just(ConfigSources.create(Map.of("plans.bad.cpus", "2",
                "plans.bad.engine.cpus", "1")))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cpus 2.0 at most the engine's 1.0");
    }

    @Test
    void readsTheEngine_andDefaultsItToTheContainerTotals() {
        Plans plans = Plans.create(Config.just(ConfigSources.create(Map.of("plans.small.engine.cpus", "1",
                "plans.small.engine.memory", "2g", "plans.small.engine.disk", "5g",
                "plans.small.engine.idle-after", "PT15M", "plans.small.engine.sleep-with-apps", "true",
                "plans.old.total-memory", "1g"))));
        Engine small = plans.plan("small").orElseThrow().engine();
        assertThat(small).isEqualTo(new Engine(1, 2L << 30, 5L << 30, java.time.Duration.ofMinutes(15), true));
        Engine old = plans.plan("old").orElseThrow().engine();
        assertThat(old.memoryBytes()).isEqualTo(1L << 30);
        assertThat(old.sleepWithApps()).as("running containers keep an engine awake unless the plan says so").isFalse();
    }

    @Test
    void refusesAPlanThatDoesNotFitThisHost() {
        int cpus = Runtime.getRuntime().availableProcessors();
        Plans plans = Plans.create(Config.just(ConfigSources.create(Map.of(
                "plans.huge.cpus", Integer.toString(cpus + 1), "plans.huge.engine.cpus", Integer.toString(cpus + 1),
                "plans.fits.cpus", "1"))));
        assertThat(plans.plan("huge")).isEmpty();
        assertThat(plans.plan("fits")).isPresent();
    }

    @Test
    void theShippedPlansFitTheirEngines() {
        Plans plans = Plans.create(Config.just(ConfigSources.classpath("application.yaml").build()).get("policy"));
        Plan free = plans.plan("free").orElseThrow();
        assertThat(free.engine()).isEqualTo(new Engine(1, 1L << 30, 5L << 30, java.time.Duration.ofMinutes(15), true));
        assertThat(plans.plan("pro").orElseThrow().cpus()).isLessThanOrEqualTo(2);
        assertThat(plans.plan("pro").orElseThrow().engine().sleepWithApps()).isFalse();
    }

    @Test
    void parsesSizesAsDockerDoes() {
        assertThat(Plan.parseSize("512m")).isEqualTo(512L << 20);
        assertThat(Plan.parseSize("1.5g")).isEqualTo(3L << 29);
        assertThat(Plan.parseSize("64MB")).isEqualTo(64L << 20);
        assertThat(Plan.parseSize("1048576")).isEqualTo(1L << 20);
    }
}
