package cx.wip.vm.backend.local;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

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
        assertThat(loopDevicesOf(Path.of("/var/lib/wip-test", FIXTURE.name())))
                .as("loop devices left behind").isEmpty();
    }

    @Test
    void runningContainersAreSeen_andThePlanLimitsAllOfTheTenantsContainers() throws Exception {
        BootOutcome outcome = ensure(new TenantSpec("contract-limits", "pro", 256L << 20, 0.5, 0));

        assertThat(backend.runningContainers("contract-limits")).isEmpty();
        Process run = new ProcessBuilder("docker", "-H", outcome.endpoint().dockerAddress(), "run", "-d",
                                         "wip-test/busybox:latest", "sleep", "300").redirectErrorStream(true).start();
        assertThat(run.waitFor()).as(new String(run.getInputStream().readAllBytes())).isZero();
        assertThat(backend.runningContainers("contract-limits")).hasSize(1);
        assertThat(backend.memoryLimit("contract-limits")).isEqualTo(256L << 20);
    }

    @Test
    void theDataRoot_isOnItsOwnDisk_mountedOnlyWhileRunning_neverTwice_grownWithThePlan_andGoneWithTheTenant()
            throws Exception {
        Path image = Path.of("/var/lib/wip-test", FIXTURE.name(), "tenants", "contract-disk.ext4");
        Path dataRoot = Path.of("/var/lib/wip-test", FIXTURE.name(), "tenants", "contract-disk");

        assertThat(ensure(new TenantSpec("contract-disk", "small", 0, 0, 64L << 20)).diskBytes()).isEqualTo(64L << 20);
        assertThat(loopDevicesOf(image)).hasSize(1);
        backend.stop("contract-disk");
        assertThat(loopDevicesOf(image)).isEmpty();

        TenantSpec bigger = new TenantSpec("contract-disk", "bigger", 0, 0, 96L << 20);
        BootOutcome grown = ensure(bigger);
        assertThat(grown.booted()).isTrue();
        assertThat(grown.diskBytes()).isEqualTo(96L << 20);
        assertThat(Files.getFileStore(dataRoot).getTotalSpace()).isGreaterThan(80L << 20);
        assertThat(ensure(bigger).booted()).isFalse();
        assertThat(loopDevicesOf(image)).hasSize(1);
        assertThat(backend.diskLimit("contract-disk")).isEqualTo(96L << 20);

        backend.delete("contract-disk");
        assertThat(image).doesNotExist();
        assertThat(loopDevicesOf(image)).isEmpty();
    }

    /** The loop devices backed by {@code image} or by any file under it ({@code losetup -a}), one line each. */
    static List<String> loopDevicesOf(Path image) {
        try {
            Process losetup = new ProcessBuilder("losetup", "-a").redirectErrorStream(true).start();
            String output = new String(losetup.getInputStream().readAllBytes());
            losetup.waitFor();
            return output.lines().filter(line -> line.contains("(" + image)).toList();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    protected HypervisorBackend backend() {
        return backend;
    }

    @Override
    protected Set<Containment> containment() {
        return EnumSet.allOf(Containment.class);
    }

    @Override
    protected List<String> tenants() {
        return List.of("contract-a", "contract-b");
    }
}
