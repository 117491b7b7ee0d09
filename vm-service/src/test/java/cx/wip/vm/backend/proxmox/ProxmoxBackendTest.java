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
        assertThat(backend.hasRunningContainers("slow")).isFalse();
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
