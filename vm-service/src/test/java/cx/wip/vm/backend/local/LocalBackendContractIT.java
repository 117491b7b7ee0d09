package cx.wip.vm.backend.local;

import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import cx.wip.vm.spi.BootOutcome;
import cx.wip.vm.spi.HypervisorBackend;
import cx.wip.vm.spi.HypervisorBackendContract;
import cx.wip.vm.spi.TenantSpec;
import cx.wip.vm.testing.LocalFixture;

import static org.assertj.core.api.Assertions.assertThat;

class LocalBackendContractIT extends HypervisorBackendContract {
    private static final LocalFixture FIXTURE = LocalFixture.random();
    private static LocalBackend backend;

    @BeforeAll
    static void start() {
        backend = (LocalBackend) new LocalBackendProvider().create(FIXTURE.backendConfig());
    }

    @Override
    protected void afterTenantsDeleted() {
        if (backend != null) {
            backend.teardown();
        }
        FIXTURE.removeRoots();
    }

    @Test
    void runningContainersAreSeen_andThePlanLimitsAllOfTheTenantsContainers() throws Exception {
        BootOutcome outcome = ensure(new TenantSpec("contract-limits", "pro", 256L << 20, 0.5, 0));

        assertThat(backend.hasRunningContainers("contract-limits")).isFalse();
        Process run = new ProcessBuilder("docker", "-H", outcome.endpoint().dockerAddress(), "run", "-d",
                                         "wip-test/busybox:latest", "sleep", "300").redirectErrorStream(true).start();
        assertThat(run.waitFor()).as(new String(run.getInputStream().readAllBytes())).isZero();
        assertThat(backend.hasRunningContainers("contract-limits")).isTrue();
        assertThat(backend.memoryLimit("contract-limits")).isEqualTo(256L << 20);
    }

    @Override
    protected HypervisorBackend backend() {
        return backend;
    }

    @Override
    protected List<String> tenants() {
        return List.of("contract-a", "contract-b");
    }
}
