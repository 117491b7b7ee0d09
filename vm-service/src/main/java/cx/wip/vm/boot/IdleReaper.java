package cx.wip.vm.boot;

import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

import cx.wip.vm.spi.BackendException;
import cx.wip.vm.spi.HypervisorBackend;

/**
 * Periodically puts engines nobody uses to sleep: no API call, no open session and no HTTP hit on its routes for
 * the plan's idle time. An engine without running containers is stopped; one with running containers keeps running
 * unless its plan lets apps sleep — then the containers are recorded (the record says ASLEEP before the engine stops,
 * so ingress keeps their routes) and the next ensure starts them again. A stop holds the tenant's lease, so it never
 * races a boot in another replica.
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
        Map<State, Long> states = new EnumMap<>(State.class);
        for (String tenant : records.tenants()) {
            try {
                TenantRecord record = records.read(tenant);
                states.merge(record.state(), 1L, Long::sum);
                sleepIfIdle(record, now);
            } catch (RuntimeException e) {
                LOGGER.log(Level.WARNING, "idle check of " + tenant + " failed", e);
            }
        }
        EngineMetrics.counts(states);
    }

    private void sleepIfIdle(TenantRecord record, long now) {
        String tenantId = record.tenantId();
        if (!record.running() || coordinator.ensuring(tenantId)) {
            return;
        }
        Plan plan = plans.plan(record.plan());
        if (!idle(record, now, plan.idleAfter())) {
            return;
        }
        Optional<Lease> held = leases.tryAcquire(tenantId);
        if (held.isEmpty()) {
            return;
        }
        try (Lease lease = held.get()) {
            TenantRecord again = records.read(tenantId);
            if (!again.running() || !idle(again, now, plan.idleAfter())) {
                return;
            }
            List<String> running;
            try {
                running = backend.runningContainers(tenantId);
            } catch (BackendException e) {
                LOGGER.fine(() -> "left " + tenantId + " awake: " + e.getMessage());
                return;
            }
            if (running.isEmpty()) {
                LOGGER.info(() -> "stopping idle tenant " + tenantId);
                backend.stop(tenantId);
                records.stopped(lease);
                feed.changed(tenantId);
            } else if (plan.sleepWithApps() && records.asleep(lease, running)) {
                LOGGER.info(() -> "putting idle tenant " + tenantId + " to sleep with " + running.size()
                                  + " running containers");
                feed.changed(tenantId); // before the stop: readers (ingress) see ASLEEP while containers die
                backend.stop(tenantId);
            }
        }
    }

    static boolean idle(TenantRecord record, long now, Duration idleAfter) {
        return now - record.lastUse() >= idleAfter.toMillis();
    }
}
