package cx.wip.vm.boot;

import java.time.Duration;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

import cx.wip.vm.spi.HypervisorBackend;

/**
 * Periodically stops tenants that had no API activity (ensures and the gateway's reports) and no running containers
 * for their plan's idle time. A stop holds the tenant's lease, so it never races a boot in another replica.
 */
final class IdleReaper implements Runnable {
    private static final Logger LOGGER = Logger.getLogger(IdleReaper.class.getName());

    private final BootCoordinator coordinator;
    private final HypervisorBackend backend;
    private final RecordStore records;
    private final Leases leases;
    private final ChangeFeed feed;
    private final PlanSource plans;

    IdleReaper(BootCoordinator coordinator, HypervisorBackend backend, RecordStore records, Leases leases,
               ChangeFeed feed, PlanSource plans) {
        this.coordinator = coordinator;
        this.backend = backend;
        this.records = records;
        this.leases = leases;
        this.feed = feed;
        this.plans = plans;
    }

    @Override
    public void run() {
        long now = System.currentTimeMillis();
        for (String tenant : records.tenants()) {
            try {
                stopIfIdle(tenant, now);
            } catch (RuntimeException e) {
                LOGGER.log(Level.WARNING, "idle check of " + tenant + " failed", e);
            }
        }
    }

    private void stopIfIdle(String tenantId, long now) {
        TenantRecord record = records.read(tenantId);
        if (!record.running() || coordinator.ensuring(tenantId)) {
            return;
        }
        Duration idleAfter = plans.plan(record.plan()).idleAfter();
        if (!idle(record, now, idleAfter) || backend.hasRunningContainers(tenantId)) {
            return;
        }
        Optional<Lease> held = leases.tryAcquire(tenantId);
        if (held.isEmpty()) {
            return;
        }
        try (Lease lease = held.get()) {
            TenantRecord again = records.read(tenantId);
            if (!again.running() || !idle(again, now, idleAfter)) {
                return;
            }
            LOGGER.info(() -> "stopping idle tenant " + tenantId);
            backend.stop(tenantId);
            records.stopped(lease);
            feed.changed(tenantId);
        }
    }

    private static boolean idle(TenantRecord record, long now, Duration idleAfter) {
        return now - Math.max(record.lastActivity(), record.updated()) >= idleAfter.toMillis();
    }
}
