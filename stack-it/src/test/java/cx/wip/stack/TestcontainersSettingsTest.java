package cx.wip.stack;

import org.junit.jupiter.api.Test;
import org.testcontainers.utility.TestcontainersConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Testcontainers' helper image comes from the repository ({@code testcontainers.properties} on the test classpath), so
 * a fresh machine with no {@code ~/.testcontainers.properties} never waits for a pull of alpine that cannot happen.
 */
class TestcontainersSettingsTest {
    @Test
    void theTinyImage_isTheOneCiBuilds_fromTheRepositorysProperties() {
        assertThat(TestcontainersConfiguration.getInstance().getTinyImage()).isEqualTo("wip-test/busybox:latest");
    }
}
