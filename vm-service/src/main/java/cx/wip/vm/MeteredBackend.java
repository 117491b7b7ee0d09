package cx.wip.vm;

import java.util.List;
import java.time.Duration;
import java.util.Set;

import cx.wip.telemetry.LabelledCounter;
import cx.wip.telemetry.LabelledTimer;
import cx.wip.vm.spi.BootOutcome;
import cx.wip.vm.spi.DaemonEndpoint;
import cx.wip.vm.spi.HypervisorBackend;
import cx.wip.vm.spi.TenantSpec;

/**
 * The configured backend, measured where a boot happens: {@code wip_vm_boots_total{backend,outcome}} (outcome
 * booted, adopted — it was running already — or failed) and {@code wip_vm_boot_seconds{backend}} for the boots
 * that started a daemon. Everything else passes straight through.
 */
final class MeteredBackend implements HypervisorBackend {
    static final LabelledCounter BOOTS = LabelledCounter.create("wip_vm_boots",
            "backend boot attempts by outcome", "backend", "outcome");
    static final LabelledTimer BOOT_TIME = LabelledTimer.create("wip_vm_boot",
            "time to start a tenant daemon", "backend");

    private final HypervisorBackend backend;
    private final String name;

    MeteredBackend(HypervisorBackend backend, String name) {
        this.backend = backend;
        this.name = name;
    }

    @Override
    public BootOutcome ensureRunning(TenantSpec tenant) {
        long start = System.nanoTime();
        BootOutcome outcome;
        try {
            outcome = backend.ensureRunning(tenant);
        } catch (RuntimeException e) {
            BOOTS.increment(name, "failed");
            throw e;
        }
        BOOTS.increment(name, outcome.booted() ? "booted" : "adopted");
        if (outcome.booted()) {
            BOOT_TIME.record(Duration.ofNanos(System.nanoTime() - start), name);
        }
        return outcome;
    }

    @Override
    public boolean answers(String tenantId, DaemonEndpoint endpoint) {
        return backend.answers(tenantId, endpoint);
    }

    @Override
    public boolean stillRuns(String tenantId) {
        return backend.stillRuns(tenantId);
    }

    @Override
    public List<String> runningContainers(String tenantId) {
        return backend.runningContainers(tenantId);
    }

    @Override
    public List<String> startContainers(String tenantId, List<String> containerIds) {
        return backend.startContainers(tenantId, containerIds);
    }

    @Override
    public boolean freeze(String tenantId) {
        return backend.freeze(tenantId);
    }

    @Override
    public void thaw(String tenantId) {
        backend.thaw(tenantId);
    }

    @Override
    public void stop(String tenantId) {
        backend.stop(tenantId);
    }

    @Override
    public void delete(String tenantId) {
        backend.delete(tenantId);
    }

    @Override
    public Set<String> tenants() {
        return backend.tenants();
    }

    @Override
    public java.util.Optional<cx.wip.vm.spi.SpareEngines> spares() {
        return backend.spares();
    }

    @Override
    public void close() {
        backend.close();
    }
}
