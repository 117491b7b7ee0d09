package cx.wip.vm.boot;

import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.logging.Logger;

import cx.wip.vm.spi.BackendException;
import cx.wip.vm.spi.HypervisorBackend;

/**
 * Periodically puts engines nobody uses to sleep: no API call, no open session and no HTTP hit on its routes for
 * the plan's idle time. An engine without running containers is stopped; one with running containers keeps running
 * unless its plan lets apps sleep — then the containers are recorded (the record says ASLEEP before anything stops,
 * so ingress keeps their routes) and the next ensure wakes them. The sleep is light first: the containers are frozen
 * (no CPU, memory kept, a wake is a thaw) for {@code frozenFor}; then it deepens: the engine stops, and a wake boots
 * it and starts them again. A stop holds the tenant's lease, so it never races a boot in another replica.
 */
final class IdleReaper implements Runnable {
    private static final Logger LOGGER = Logger.getLogger(IdleReaper.class.getName());

    private final BootCoordinator coordinator;
    private final HypervisorBackend backend;
    private final RecordStore records;
    private final Leases leases;
    private final ChangeFeed feed;
    private final PlanSource plans;
    private final Duration frozenFor;
    private final SleepNotice notice;

    IdleReaper(BootCoordinator coordinator, HypervisorBackend backend, RecordStore records, Leases leases,
               ChangeFeed feed, PlanSource plans, Duration frozenFor, SleepNotice notice) {
        this.frozenFor = frozenFor;
        this.notice = notice;
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
        long frozen = 0;
        for (String tenant : records.tenants()) {
            try {
                TenantRecord record = records.read(tenant);
                states.merge(record.state(), 1L, Long::sum);
                if (record.state() == State.ASLEEP && record.frozen()) {
                    frozen++;
                    deepenIfLong(record, now);
                } else {
                    sleepIfIdle(record, now);
                }
            } catch (RuntimeException e) {
                LOGGER.log(Level.WARNING, "idle check of " + tenant + " failed", e);
            }
        }
        EngineMetrics.counts(states, frozen);
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
        underLease(tenantId, again -> again.running() && idle(again, now, plan.idleAfter()), (lease, again) -> {
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
            } else if (plan.sleepWithApps()) {
                sleep(lease, running);
            }
        });
    }

    /**
     * Records the running containers, then freezes them (light sleep) once ingress moved their routes to its waker,
     * or, when either cannot be done, stops the engine.
     */
    private void sleep(Lease lease, List<String> running) {
        String tenantId = lease.tenant();
        if (!records.asleep(lease, running, false)) {
            return;
        }
        feed.changed(tenantId); // before anything stops: readers (ingress) see ASLEEP while containers freeze or die
        if (frozenFor.isPositive() && notice.routesOnWaker(tenantId) && backend.freeze(tenantId)) {
            if (records.asleep(lease, running, true)) {
                feed.changed(tenantId);
                LOGGER.info(() -> "put idle tenant " + tenantId + " to sleep, " + running.size()
                                  + " running containers frozen for up to " + frozenFor);
                return;
            }
            backend.thaw(tenantId); // another replica took the tenant over: leave it as that one sees it
            return;
        }
        LOGGER.info(() -> "putting idle tenant " + tenantId + " to sleep: engine stops, " + running.size()
                          + " running containers start again on wake");
        backend.stop(tenantId);
    }

    /** A light sleep that lasted {@code frozenFor} deepens: the engine stops (its memory goes back to the host). */
    private void deepenIfLong(TenantRecord record, long now) {
        String tenantId = record.tenantId();
        if (now - record.updated() < frozenFor.toMillis() || coordinator.ensuring(tenantId)) {
            return;
        }
        underLease(tenantId, again -> again.state() == State.ASLEEP && again.frozen()
                                       && now - again.updated() >= frozenFor.toMillis(), (lease, again) -> {
            if (!records.asleep(lease, again.asleep(), false)) {
                return;
            }
            feed.changed(tenantId);
            LOGGER.info(() -> "deepening the sleep of " + tenantId + " (frozen since " + again.updated()
                              + "): engine stops, " + again.asleep().size() + " containers start again on wake");
            backend.stop(tenantId);
        });
    }

    /**
     * Runs {@code act} holding the tenant's lease (so it never races a boot in another replica), when the record read
     * again under the lease still passes {@code still}; a lease held elsewhere means: not now.
     */
    private void underLease(String tenantId, Predicate<TenantRecord> still, BiConsumer<Lease, TenantRecord> act) {
        Optional<Lease> held = leases.tryAcquire(tenantId);
        if (held.isEmpty()) {
            return;
        }
        try (Lease lease = held.get()) {
            TenantRecord again = records.read(tenantId);
            if (still.test(again)) {
                act.accept(lease, again);
            }
        }
    }

    static boolean idle(TenantRecord record, long now, Duration idleAfter) {
        return now - record.lastUse() >= idleAfter.toMillis();
    }
}
