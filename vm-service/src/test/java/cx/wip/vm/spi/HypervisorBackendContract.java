package cx.wip.vm.spi;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import com.fasterxml.jackson.databind.JsonNode;

import cx.wip.docker.DaemonError;
import cx.wip.docker.DockerEngine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * What every hypervisor backend must do. Tenants are deleted after the last test (booting real daemons is the slow
 * part; every assertion holds whether a test finds the tenant fresh or left running by an earlier one). A backend's test is a ~10-line subclass that supplies the backend and two
 * tenant ids it can serve (see {@code LocalBackendContractIT}, {@code StaticBackendContractIT},
 * {@code ProxmoxBackendContractTest}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class HypervisorBackendContract {
    private final Set<String> touched = ConcurrentHashMap.newKeySet();

    /** The backend under test (the same instance for the whole test). */
    protected abstract HypervisorBackend backend();

    /** Two tenant ids the backend can serve (fresh ones for creating backends). */
    protected abstract List<String> tenants();

    /** Whether the backend enforces a plan's disk size (the {@code static} backend cannot: its daemons are given). */
    protected boolean enforcesDiskSize() {
        return true;
    }

    /**
     * How a backend contains a tenant's engine beyond "its own daemon": each subclass states what it guarantees, and
     * the contract checks exactly that through the engine's own API (a backend whose engines run elsewhere, as
     * operator-run daemons or VMs, declares none and says in its documentation what stands in for them).
     */
    protected enum Containment {
        /** The engine runs containers in a user namespace: root in a container is not root of the host. */
        USER_NAMESPACE,
        /** The engine itself refuses a container in the host's user namespace ({@code --userns=host}). */
        REFUSES_HOST_USER_NAMESPACE
    }

    /** What this backend guarantees (none unless the subclass says so). */
    protected Set<Containment> containment() {
        return Set.of();
    }

    /**
     * Whether a recorded endpoint is handed out ({@link HypervisorBackend#answers}) only while the daemon there is the
     * tenant's. A backend whose addresses can pass to another tenant's daemon (VMs on DHCP: one stopped outside
     * vm-service loses its address to the next VM) must guarantee it; one whose addresses cannot (a socket per
     * tenant, an operator's fixed map) need not, and declares nothing.
     */
    protected boolean checksTheDaemonIsTheTenants() {
        return false;
    }

    /** Called after the tenants the tests made are deleted: stop what the subclass started. */
    protected void afterTenantsDeleted() {
    }

    @AfterAll
    void deleteTouchedTenants() {
        try {
            touched.forEach(tenant -> backend().delete(tenant));
            touched.clear();
        } finally {
            afterTenantsDeleted();
        }
    }

    @Test
    void ensureRunning_returnsAnEndpointWhoseDockerApiAnswers() {
        BootOutcome outcome = ensure(tenants().get(0));

        assertThat(backend().answers(tenants().get(0), outcome.endpoint())).isTrue();
        assertThat(outcome.endpoint().publicAddress()).isNotBlank();
    }

    @Test
    void ensureRunning_twice_adoptsTheRunningDaemonInsteadOfBootingAgain() {
        BootOutcome first = ensure(tenants().get(0));
        BootOutcome second = ensure(tenants().get(0));

        assertThat(second.endpoint()).isEqualTo(first.endpoint());
        assertThat(second.booted()).isFalse();
    }

    @Test
    void twoTenants_getTheirOwnEndpoints() {
        BootOutcome a = ensure(tenants().get(0));
        BootOutcome b = ensure(tenants().get(1));

        assertThat(a.endpoint().publicAddress()).isNotEqualTo(b.endpoint().publicAddress());
        assertThat(backend().tenants()).contains(tenants().get(0), tenants().get(1));
    }

    @Test
    void aRecordedEndpoint_whereAnotherTenantsDaemonAnswersNow_isNotHandedOut_whenTheBackendGuaranteesIt() {
        assumeTrue(checksTheDaemonIsTheTenants(), "this backend does not guarantee it");
        DaemonEndpoint a = ensure(tenants().get(0)).endpoint();
        DaemonEndpoint b = ensure(tenants().get(1)).endpoint();
        // the first tenant's record, at an address where the second tenant's daemon answers now
        DaemonEndpoint taken = new DaemonEndpoint(b.dockerAddress(), b.publicAddress(), b.tls(), a.engineId());

        assertThat(backend().answers(tenants().get(0), taken)).isFalse();
        assertThat(backend().answers(tenants().get(0), a)).isTrue();
    }

    @Test
    void stop_thenEnsureRunning_answersAgain() {
        ensure(tenants().get(0));
        backend().stop(tenants().get(0));
        BootOutcome again = ensure(tenants().get(0));

        assertThat(backend().answers(tenants().get(0), again.endpoint())).isTrue();
    }

    @Test
    void stopAndDelete_ofAnUnknownTenant_areFine() {
        backend().stop("never-seen-tenant");
        backend().delete("never-seen-tenant");

        assertThat(backend().tenants()).doesNotContain("never-seen-tenant");
    }

    @Test
    void delete_thenEnsureRunning_givesAWorkingDaemonAgain() {
        ensure(tenants().get(0));
        backend().delete(tenants().get(0));
        BootOutcome again = ensure(tenants().get(0));

        assertThat(backend().answers(tenants().get(0), again.endpoint())).isTrue();
    }

    @Test
    void aPlansDiskSize_isEnforcedAndReported_alsoWhenTheDaemonIsAdopted() {
        String tenant = tenants().get(1);
        backend().delete(tenant);

        BootOutcome outcome = ensure(new TenantSpec(tenant, "small", 0, 0, 256L << 20));

        if (enforcesDiskSize()) {
            assertThat(outcome.diskBytes()).isGreaterThanOrEqualTo(256L << 20);
            assertThat(ensure(tenant).diskBytes()).isEqualTo(outcome.diskBytes());
        } else {
            assertThat(outcome.diskBytes()).isZero();
        }
    }

    @Test
    void aBootedEngine_reportsUserNamespaceIsolationInItsInfo_whenTheBackendGuaranteesIt() throws Exception {
        assumeTrue(containment().contains(Containment.USER_NAMESPACE), "this backend does not guarantee it");
        BootOutcome outcome = ensure(tenants().get(0));

        JsonNode info = DockerEngine.of(outcome.endpoint().dockerAddress(), Duration.ofSeconds(10)).info();

        assertThat(info.path("SecurityOptions").toString()).contains("name=userns");
    }

    @Test
    void theEngineItself_refusesAContainerInTheHostsUserNamespace_whenTheBackendGuaranteesIt() throws Exception {
        assumeTrue(containment().contains(Containment.REFUSES_HOST_USER_NAMESPACE), "this backend does not guarantee it");
        BootOutcome outcome = ensure(tenants().get(0));
        DockerEngine engine = DockerEngine.of(outcome.endpoint().dockerAddress(), Duration.ofSeconds(10));

        assertThatThrownBy(() -> engine.createContainer(
                "{\"Image\": \"wip-test/busybox:latest\", \"HostConfig\": {\"usernsmode\": \"host\"}}"))
                .isInstanceOfSatisfying(DaemonError.class, refused -> {
                    assertThat(refused.status()).as(refused.daemonMessage()).isEqualTo(403);
                    assertThat(refused.daemonMessage()).contains("user namespace");
                });
    }

    protected BootOutcome ensure(String tenant) {
        return ensure(TenantSpec.unlimited(tenant));
    }

    protected BootOutcome ensure(TenantSpec tenant) {
        touched.add(tenant.id());
        return backend().ensureRunning(tenant);
    }
}
