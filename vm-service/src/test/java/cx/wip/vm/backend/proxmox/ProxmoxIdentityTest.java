package cx.wip.vm.backend.proxmox;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import cx.wip.vm.spi.BackendException;
import cx.wip.vm.spi.BootOutcome;
import cx.wip.vm.spi.DaemonEndpoint;
import cx.wip.vm.spi.HypervisorBackend;
import cx.wip.vm.spi.TenantSpec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A recorded address is handed out only while the tenant's own engine answers there (issue 12). */
class ProxmoxIdentityTest {
    /** Held so that the handler stays on it (loggers are weakly referenced). */
    private static final Logger PACKAGE_LOGGER = Logger.getLogger(ProxmoxBackend.class.getPackageName());

    private final List<String> logged = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            logged.add(record.getMessage());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private ProxmoxSimulator simulator;
    private HypervisorBackend backend;

    @BeforeEach
    void start() throws IOException {
        PACKAGE_LOGGER.addHandler(capture);
        simulator = new ProxmoxSimulator(ProxmoxBackendContractTest.freePort(), 20, 50);
        backend = ProxmoxBackendTest.backend(simulator, Map.of());
    }

    @AfterEach
    void stop() {
        PACKAGE_LOGGER.removeHandler(capture);
        simulator.close();
    }

    @Test
    void aBoot_recordsTheVmsEngine_andAReEnsureFindingThatEngine_adoptsIt() {
        DaemonEndpoint first = backend.ensureRunning(TenantSpec.unlimited("alice")).endpoint();

        BootOutcome again = backend.ensureRunning(recorded("alice", first));

        assertThat(first.engineId()).isEqualTo(simulator.engineId("wip-alice"));
        assertThat(backend.answers("alice", first)).isTrue();
        assertThat(again.booted()).isFalse();
        assertThat(again.endpoint()).isEqualTo(first);
    }

    @Test
    void aRecordWithoutIdentity_isNotHandedOut_butReadAgainFromTheVm_andRecordedWithALogLine() {
        DaemonEndpoint booted = backend.ensureRunning(TenantSpec.unlimited("old")).endpoint();
        DaemonEndpoint oldRecord = new DaemonEndpoint(booted.dockerAddress(), booted.publicAddress(), booted.tls());

        boolean handedOut = backend.answers("old", oldRecord);
        BootOutcome upgraded = backend.ensureRunning(recorded("old", oldRecord));

        assertThat(handedOut).isFalse();
        assertThat(upgraded.booted()).isFalse();
        assertThat(upgraded.endpoint().engineId()).isEqualTo(simulator.engineId("wip-old"));
        assertThat(backend.answers("old", upgraded.endpoint())).isTrue();
        assertThat(logged).anyMatch(line -> line.contains("has no engine identity"))
                .anyMatch(line -> line.contains("recording engine " + simulator.engineId("wip-old")));
    }

    @Test
    void aVmStoppedOutside_whoseAddressWentToAnotherTenant_isNotHandedOut_andBootsAgainAtAnAddressOfItsOwn() {
        DaemonEndpoint alice = backend.ensureRunning(TenantSpec.unlimited("alice")).endpoint();
        DaemonEndpoint bob = bobTakesTheAddressOf(alice);

        boolean handedOut = backend.answers("alice", alice);
        BootOutcome again = backend.ensureRunning(recorded("alice", alice));

        assertThat(handedOut).isFalse();
        assertThat(again.booted()).isTrue();
        assertThat(again.endpoint().engineId()).isEqualTo(alice.engineId());
        assertThat(again.endpoint().dockerAddress()).isNotEqualTo(bob.dockerAddress());
        assertThat(backend.answers("alice", again.endpoint())).isTrue();
        assertThat(backend.answers("bob", bob)).isTrue();
        assertThat(logged).anyMatch(line -> line.contains(bob.engineId()) && line.contains(alice.engineId()));
    }

    @Test
    void anAddressStillAnsweredByAnotherTenantsEngine_failsTheBoot_namingBothEngines() {
        DaemonEndpoint alice = backend.ensureRunning(TenantSpec.unlimited("alice")).endpoint();
        DaemonEndpoint bob = bobTakesTheAddressOf(alice);
        simulator.leaseNext("wip-alice", alice.publicAddress());

        assertThatThrownBy(() -> backend.ensureRunning(recorded("alice", alice)))
                .isInstanceOf(BackendException.class)
                .hasMessageContaining("engine " + bob.engineId() + " answers there")
                .hasMessageContaining("not the tenant's engine " + alice.engineId())
                .hasMessageContaining("not routing the tenant to it");
        assertThat(logged).anyMatch(line -> line.contains(bob.engineId()) && line.contains(alice.engineId()));
    }

    @Test
    void aVmNamedForTheTenant_withoutTheTenantsTag_isNotUsed() {
        backend.ensureRunning(TenantSpec.unlimited("carol"));
        simulator.retag("wip-carol", "wip;wip-t-mallory");

        assertThatThrownBy(() -> backend.ensureRunning(TenantSpec.unlimited("carol")))
                .isInstanceOf(BackendException.class)
                .hasMessageContaining("lacks the tag wip-t-carol");
        assertThat(simulator.config(simulator.vmid("wip-carol"))).containsEntry("tags", "wip;wip-t-mallory");
    }

    /**
     * Alice's VM is stopped outside vm-service and DHCP gives its address to Bob's VM at Bob's next start: Alice's
     * recorded address now leads to Bob's daemon.
     */
    private DaemonEndpoint bobTakesTheAddressOf(DaemonEndpoint alice) {
        DaemonEndpoint bob = backend.ensureRunning(TenantSpec.unlimited("bob")).endpoint();
        backend.stop("bob");
        simulator.stopOutside("wip-alice");
        simulator.leaseNext("wip-bob", alice.publicAddress());
        DaemonEndpoint moved = backend.ensureRunning(recorded("bob", bob)).endpoint();
        assertThat(moved.dockerAddress()).isEqualTo(alice.dockerAddress());
        return moved;
    }

    /** The spec vm-service's coordinator hands the backend for a tenant with this record. */
    private static TenantSpec recorded(String tenant, DaemonEndpoint record) {
        return TenantSpec.unlimited(tenant).withEngineId(record.engineId());
    }
}
