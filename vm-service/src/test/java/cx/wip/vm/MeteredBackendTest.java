package cx.wip.vm;

import java.util.Set;

import org.junit.jupiter.api.Test;

import cx.wip.vm.boot.VmException;
import cx.wip.vm.spi.BackendException;
import cx.wip.vm.spi.BootOutcome;
import cx.wip.vm.spi.DaemonEndpoint;
import cx.wip.vm.spi.HypervisorBackend;
import cx.wip.vm.spi.TenantSpec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Boots are counted by outcome and timed when a daemon was started; ensure results are named by error kind. */
class MeteredBackendTest {
    private static final DaemonEndpoint ENDPOINT = new DaemonEndpoint("tcp://10.0.0.5:2375", "10.0.0.5", false);

    @Test
    void countsBootedAdoptedAndFailedBoots_andTimesOnlyRealBoots() {
        long booted = MeteredBackend.BOOTS.count("metered-test", "booted");
        long adopted = MeteredBackend.BOOTS.count("metered-test", "adopted");
        long failed = MeteredBackend.BOOTS.count("metered-test", "failed");
        long timed = MeteredBackend.BOOT_TIME.count("metered-test");

        new MeteredBackend(backend(new BootOutcome(ENDPOINT, true)), "metered-test")
                .ensureRunning(TenantSpec.unlimited("t1"));
        new MeteredBackend(backend(new BootOutcome(ENDPOINT, false)), "metered-test")
                .ensureRunning(TenantSpec.unlimited("t1"));
        assertThatThrownBy(() -> new MeteredBackend(backend(null), "metered-test")
                .ensureRunning(TenantSpec.unlimited("t1"))).isInstanceOf(BackendException.class);

        assertThat(MeteredBackend.BOOTS.count("metered-test", "booted")).isEqualTo(booted + 1);
        assertThat(MeteredBackend.BOOTS.count("metered-test", "adopted")).isEqualTo(adopted + 1);
        assertThat(MeteredBackend.BOOTS.count("metered-test", "failed")).isEqualTo(failed + 1);
        assertThat(MeteredBackend.BOOT_TIME.count("metered-test")).isEqualTo(timed + 1);
    }

    @Test
    void ensureResults_nameTheErrorKind() {
        assertThat(EnsureMetrics.result(new VmException.StillStarting())).isEqualTo("still_starting");
        assertThat(EnsureMetrics.result(new IllegalStateException("x"))).isEqualTo("error");
        assertThat(EnsureMetrics.result(null)).isEqualTo("error");
    }

    /** A backend whose boot answers {@code outcome}, or fails when it is null. */
    private static HypervisorBackend backend(BootOutcome outcome) {
        return new HypervisorBackend() {
            @Override
            public BootOutcome ensureRunning(TenantSpec tenant) {
                if (outcome == null) {
                    throw new BackendException("no capacity");
                }
                return outcome;
            }

            @Override
            public boolean answers(String tenantId, DaemonEndpoint endpoint) {
                return true;
            }

            @Override
            public java.util.List<String> runningContainers(String tenantId) {
                return java.util.List.of();
            }

            @Override
            public java.util.List<String> startContainers(String tenantId, java.util.List<String> containerIds) {
                return containerIds;
            }

            @Override
            public void stop(String tenantId) {
            }

            @Override
            public void delete(String tenantId) {
            }

            @Override
            public Set<String> tenants() {
                return Set.of();
            }
        };
    }
}
