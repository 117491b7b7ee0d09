package cx.wip.vm.backend.proxmox;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import cx.wip.vm.spi.BackendException;
import cx.wip.vm.spi.BootOutcome;
import cx.wip.vm.spi.HypervisorBackend;
import cx.wip.vm.spi.TenantSpec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Proxmox specifics the contract does not cover, against the API simulator. */
class ProxmoxBackendTest {
    private ProxmoxSimulator simulator;

    @AfterEach
    void stop() {
        if (simulator != null) {
            simulator.close();
        }
    }

    @Test
    void aNextIdTakenByAnotherCloner_isRetriedWithAFreshId() throws IOException {
        simulator = new ProxmoxSimulator(ProxmoxBackendContractTest.freePort(), 20, 50);
        simulator.raceNextId(2);
        HypervisorBackend backend = backend(Map.of());

        BootOutcome outcome = backend.ensureRunning(TenantSpec.unlimited("racer"));

        assertThat(backend.answers("racer", outcome.endpoint())).isTrue();
        assertThat(simulator.clones()).isEqualTo(1);
        assertThat(backend.tenants()).containsExactly("racer");
    }

    @Test
    void onlyTaggedQemuVmsNamedWithThePrefix_areTenants_notContainersOrTemplates() throws IOException {
        simulator = new ProxmoxSimulator(ProxmoxBackendContractTest.freePort(), 20, 50);
        HypervisorBackend backend = backend(Map.of("name-prefix", "wip-"));

        backend.ensureRunning(TenantSpec.unlimited("alice"));

        assertThat(backend.tenants()).containsExactly("alice");
    }

    @Test
    void aSlowCloneAndGuestAgent_areWaitedFor_andTheVmBootsOnce() throws IOException {
        simulator = new ProxmoxSimulator(ProxmoxBackendContractTest.freePort(), 300, 600);
        HypervisorBackend backend = backend(Map.of());

        BootOutcome first = backend.ensureRunning(new TenantSpec("slow", "pro", 2L << 30, 2, 0));
        BootOutcome again = backend.ensureRunning(TenantSpec.unlimited("slow"));

        assertThat(first.booted()).isTrue();
        assertThat(again.booted()).isFalse();
        assertThat(first.endpoint().dockerAddress()).matches("tcp://127\\.0\\.1\\.\\d+:\\d+");
        assertThat(simulator.starts()).isEqualTo(1);
        assertThat(backend.runningContainers("slow")).isEmpty();
    }

    @Test
    void thePlan_setsMemoryAndCores_andGrowsTheDisk_whoseSizeIsReported() throws IOException {
        simulator = new ProxmoxSimulator(ProxmoxBackendContractTest.freePort(), 20, 50);
        HypervisorBackend backend = backend(Map.of());

        BootOutcome outcome = backend.ensureRunning(new TenantSpec("sized", "pro", 4L << 30, 1.5, 50L << 30));

        Map<String, Object> config = simulator.config(simulator.vmid("wip-sized"));
        assertThat(config).containsEntry("memory", "4096").containsEntry("cores", 2);
        assertThat((String) config.get("scsi0")).endsWith(",size=50G");
        assertThat(outcome.diskBytes()).isEqualTo(50L << 30);
        assertThat(simulator.resizes()).isEqualTo(1);
        assertThat(backend.ensureRunning(TenantSpec.unlimited("sized")).diskBytes()).isEqualTo(50L << 30);
        assertThat(simulator.resizes()).isEqualTo(1);
    }

    @Test
    void anOlderProxmox_whoseResizeAnswersNullWhenDone_isHandledToo() throws IOException {
        simulator = new ProxmoxSimulator(ProxmoxBackendContractTest.freePort(), 20, 50);
        simulator.synchronousResize();
        HypervisorBackend backend = backend(Map.of());

        BootOutcome outcome = backend.ensureRunning(new TenantSpec("older", "pro", 0, 0, 20L << 30));

        assertThat(outcome.diskBytes()).isEqualTo(20L << 30);
        assertThat(simulator.resizes()).isEqualTo(1);
    }

    @Test
    void aPlanDiskSmallerThanTheTemplates_isNotAShrink_andTheTemplatesSizeIsReported() throws IOException {
        simulator = new ProxmoxSimulator(ProxmoxBackendContractTest.freePort(), 20, 50);
        HypervisorBackend backend = backend(Map.of());

        BootOutcome outcome = backend.ensureRunning(new TenantSpec("small", "free", 0, 0, 5L << 30));

        assertThat(outcome.diskBytes()).isEqualTo(ProxmoxSimulator.TEMPLATE_DISK);
        assertThat(simulator.resizes()).isZero();
    }

    @Test
    void aDataDiskTheTemplateLacks_failsTheBootWithTheKeyToFix() throws IOException {
        simulator = new ProxmoxSimulator(ProxmoxBackendContractTest.freePort(), 20, 50);
        HypervisorBackend backend = backend(Map.of("disk", "virtio1"));

        assertThatThrownBy(() -> backend.ensureRunning(new TenantSpec("nodisk", "pro", 0, 0, 50L << 30)))
                .isInstanceOf(BackendException.class)
                .hasMessageContaining("no disk 'virtio1'")
                .hasMessageContaining("vm.backends.proxmox.disk");
    }

    @Test
    void diskSizes_areReadAndWrittenAsProxmoxSpellsThem() {
        assertThat(ProxmoxDisk.parseSize("local-lvm:vm-101-disk-0,iothread=1,size=8G")).isEqualTo(8L << 30);
        assertThat(ProxmoxDisk.parseSize("local:101/vm-101-disk-0.qcow2,size=65M,ssd=1")).isEqualTo(65L << 20);
        assertThat(ProxmoxDisk.parseSize("local:iso/debian.iso,media=cdrom")).isZero();
        assertThat(ProxmoxDisk.sizeArgument(50L << 30)).isEqualTo("50G");
        assertThat(ProxmoxDisk.sizeArgument((64L << 20) + 1)).isEqualTo("65M");
    }

    @Test
    void aWrongToken_failsWithProxmoxsOwnMessage() throws IOException {
        simulator = new ProxmoxSimulator(ProxmoxBackendContractTest.freePort(), 20, 50);
        HypervisorBackend backend = backend(Map.of("token-secret", "wrong"));

        assertThatThrownBy(() -> backend.ensureRunning(TenantSpec.unlimited("alice")))
                .isInstanceOf(BackendException.class)
                .hasMessageContaining("401")
                .hasMessageContaining("authentication failure");
    }

    @Test
    void tenantTags_followProxmoxsTagSyntax() {
        assertThat(ProxmoxBackend.tag("Alice_1")).isEqualTo("wip-t-alice_1");
        assertThat(ProxmoxBackend.tag("a-b")).isEqualTo("wip-t-a-b");
    }

    private HypervisorBackend backend(Map<String, String> overrides) {
        return backend(simulator, overrides);
    }

    /** A backend against the simulator, with some settings changed. */
    static HypervisorBackend backend(ProxmoxSimulator simulator, Map<String, String> overrides) {
        Map<String, String> properties = new HashMap<>();
        Config base = ProxmoxBackendContractTest.config(simulator);
        for (String key : new String[] {"url", "token-id", "token-secret", "node", "template-vmid", "docker-port",
                                        "boot-timeout", "poll-interval"}) {
            properties.put(key, base.get(key).asString().get());
        }
        properties.putAll(overrides);
        return new ProxmoxBackendProvider().create(Config.just(ConfigSources.create(properties)));
    }
}
