package cx.wip.vm.boot;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

import io.grpc.Context;

import cx.wip.vm.spi.BackendException;
import cx.wip.vm.spi.BootOutcome;
import cx.wip.vm.spi.HypervisorBackend;
import cx.wip.vm.spi.TenantSpec;

/**
 * Ensures, stops and deletes tenant daemons so that each tenant boots exactly once: callers in this process share
 * one in-flight attempt; across processes the attempt runs under the tenant's Redis lease, and everyone else
 * watches the tenant's record until it says RUNNING (or the lease frees up because its holder failed).
 */
public final class BootCoordinator {
    private static final Pattern TENANT_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,39}");
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(25);
    private static final Duration MAX_BACKOFF = Duration.ofMillis(500);
    /** How long an engine recorded RUNNING may fail to answer before it counts as hung and is booted again. */
    private static final Duration UNRESPONSIVE_GRACE = Duration.ofSeconds(10);

    private final HypervisorBackend backend;
    private final RecordStore records;
    private final Leases leases;
    private final ChangeFeed feed;
    private final PlanSource plans;
    private final Duration bootTimeout;
    private final Map<String, CompletableFuture<Ensured>> inFlight = new ConcurrentHashMap<>();
    private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();

    BootCoordinator(HypervisorBackend backend, RecordStore records, Leases leases, ChangeFeed feed, PlanSource plans,
                    Duration bootTimeout) {
        this.backend = backend;
        this.records = records;
        this.leases = leases;
        this.feed = feed;
        this.plans = plans;
        this.bootTimeout = bootTimeout;
    }

    /**
     * The tenant's running daemon, booting it if needed. Waits at most {@code wait}; the boot itself goes on
     * past that (the next call finds it done).
     */
    public Ensured ensure(String tenantId, String plan, Duration wait) {
        return ensure(tenantId, plan, wait, Cause.API);
    }

    /** As {@link #ensure(String, String, Duration)}, counting the call as the tenant's last API call or HTTP hit. */
    public Ensured ensure(String tenantId, String plan, Duration wait, Cause cause) {
        validate(tenantId);
        long now = System.currentTimeMillis();
        if (cause == Cause.HTTP) {
            records.http(tenantId, now);
        } else {
            records.activity(tenantId, now);
        }
        CompletableFuture<Ensured> attempt = inFlight.computeIfAbsent(tenantId, id -> {
            CompletableFuture<Ensured> started = CompletableFuture.supplyAsync(
                    () -> ensureOnce(plans.plan(plan).spec(id), cause),
                    // the boot's log lines carry the ids of the call that started it (not its deadline: fork)
                    Context.current().fork().fixedContextExecutor(workers));
            started.whenComplete((result, error) -> inFlight.remove(id, started));
            return started;
        });
        try {
            return attempt.get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new VmException.StillStarting();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VmException.StillStarting();
        } catch (ExecutionException e) {
            throw unwrap(e.getCause());
        }
    }

    /** How long an engine of this plan may go without use before it may sleep (0 when the plan cannot be read). */
    public Duration idleAfter(String plan) {
        try {
            return plans.plan(plan).idleAfter();
        } catch (RuntimeException e) {
            return Duration.ZERO;
        }
    }

    /** Stops the tenant's daemon (waiting for a boot in progress to finish first). */
    public State stop(String tenantId, Duration wait) {
        validate(tenantId);
        try (Lease lease = acquire(tenantId, wait)) {
            if (records.read(tenantId).state() == State.UNKNOWN && !backend.tenants().contains(tenantId)) {
                return State.UNKNOWN;
            }
            backendCall(() -> backend.stop(tenantId));
            fenced(records.stopped(lease), lease);
            feed.changed(tenantId);
            return State.STOPPED;
        }
    }

    /** Deletes the tenant's daemon and its record. */
    public void delete(String tenantId, Duration wait) {
        validate(tenantId);
        try (Lease lease = acquire(tenantId, wait)) {
            backendCall(() -> backend.delete(tenantId));
            fenced(records.delete(lease), lease);
            feed.changed(tenantId);
        }
    }

    public TenantRecord status(String tenantId) {
        validate(tenantId);
        return records.read(tenantId);
    }

    public List<TenantRecord> list() {
        return records.tenants().stream().map(records::read).toList();
    }

    /**
     * Use reported by a gateway (API calls, open sessions) or by ingress (HTTP hits on routes).
     */
    public void activity(List<String> apiCalls, List<String> openSessions, List<String> httpHits) {
        long now = System.currentTimeMillis();
        valid(apiCalls).forEach(id -> records.activity(id, now));
        valid(openSessions).forEach(id -> records.session(id, now));
        valid(httpHits).forEach(id -> records.http(id, now));
        // a gateway that still had the engine's address (its cache) reached a frozen engine: its daemon answered,
        // but the containers must run again too
        valid(apiCalls).filter(records::frozen).forEach(id -> workers.execute(() -> wakeQuietly(id)));
    }

    private void wakeQuietly(String tenantId) {
        try {
            ensure(tenantId, records.read(tenantId).plan(), bootTimeout, Cause.API);
        } catch (RuntimeException e) {
            java.util.logging.Logger.getLogger(BootCoordinator.class.getName())
                    .warning(() -> "waking " + tenantId + " after its API use failed: " + e.getMessage());
        }
    }

    private static java.util.stream.Stream<String> valid(List<String> tenantIds) {
        return tenantIds.stream().distinct().filter(id -> id != null && TENANT_ID.matcher(id).matches());
    }

    /** Whether the tenant's engine is awake, why, and when it will sleep (asks the engine what runs). */
    public Wakefulness wakefulness(TenantRecord record) {
        int running = -1;
        if (record.running()) {
            try {
                running = backend.runningContainers(record.tenantId()).size();
            } catch (BackendException e) {
                running = -1;
            }
        }
        return wakefulness(record, running);
    }

    /** As {@link #wakefulness(TenantRecord)} with a known count of running containers (-1 = not asked). */
    public Wakefulness wakefulness(TenantRecord record, int running) {
        Plan plan = null;
        if (record.state() == State.RUNNING) {
            try {
                plan = plans.plan(record.plan());
            } catch (RuntimeException e) {
                plan = null;
            }
        }
        return Wakefulness.of(record, plan, running, System.currentTimeMillis());
    }

    /** Whether an ensure for the tenant is in flight in this process (idle stop leaves it alone). */
    boolean ensuring(String tenantId) {
        return inFlight.containsKey(tenantId);
    }

    private Ensured ensureOnce(TenantSpec spec, Cause cause) {
        String tenant = spec.id();
        long deadline = System.nanoTime() + bootTimeout.toNanos();
        Duration backoff = FIRST_BACKOFF;
        while (true) {
            long seen = feed.version(tenant);
            TenantRecord record = records.read(tenant);
            if (record.running() && backend.answers(tenant, record.endpoint().orElseThrow())) {
                return new Ensured(record.endpoint().orElseThrow(), false);
            }
            Optional<Lease> held = leases.tryAcquire(tenant);
            if (held.isPresent()) {
                try (Lease lease = held.get()) {
                    return bootUnder(lease, spec, cause);
                }
            }
            if (System.nanoTime() > deadline) {
                throw new VmException.StillStarting();
            }
            await(tenant, seen, backoff);
            backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
        }
    }

    private Ensured bootUnder(Lease lease, TenantSpec spec, Cause cause) {
        long started = System.nanoTime();
        // the previous holder may have finished between our read of the record and our acquiring the lease
        TenantRecord current = records.read(spec.id());
        if (current.running() && answersWithin(spec.id(), current.endpoint().orElseThrow(), UNRESPONSIVE_GRACE)) {
            return new Ensured(current.endpoint().orElseThrow(), false);
        }
        fenced(records.starting(lease, spec.plan()), lease);
        feed.changed(spec.id());
        BootOutcome outcome;
        try {
            // the recorded engine, so that a backend adopting a running daemon can tell it is still the tenant's
            outcome = backend.ensureRunning(spec.withEngineId(current.engineId()));
        } catch (BackendException e) {
            records.failed(lease, e.getMessage());
            feed.changed(spec.id());
            throw new VmException.BootFailed("your environment could not be started: " + e.getMessage(), e);
        }
        if (lease.lost()) {
            throw new VmException.LeaseLost("lost the boot lease of " + spec.id() + " during the boot");
        }
        List<String> restarted = List.of();
        boolean thawed = current.frozen() && !outcome.booted();
        if (current.frozen()) {
            backend.thaw(spec.id());
        }
        if (thawed) {
            restarted = current.asleep(); // the engine kept running: its containers were frozen, not stopped
        } else if (!current.asleep().isEmpty()) {
            // the record keeps the list until they run: a wake that fails half-way starts them on the next try
            restarted = backend.startContainers(spec.id(), current.asleep());
            if (lease.lost()) {
                throw new VmException.LeaseLost("lost the boot lease of " + spec.id() + " during the wake");
            }
        }
        fenced(records.running(lease, outcome), lease);
        feed.changed(spec.id());
        if ((outcome.booted() || thawed) && (current.state() == State.ASLEEP || current.state() == State.STOPPED)) {
            EngineMetrics.woke(cause, thawed ? "light" : current.state() == State.ASLEEP ? "deep" : "stopped",
                               Duration.ofNanos(System.nanoTime() - started));
        }
        return new Ensured(outcome.endpoint(), outcome.booted(), restarted);
    }

    /**
     * Whether an engine recorded RUNNING answers within {@code grace}: a busy engine (a burst of requests, a loaded
     * host) may miss one short ping, and booting it again would kill its containers. Only a recorded RUNNING engine
     * gets the grace; what a dead boot left half-started is replaced at once.
     */
    private boolean answersWithin(String tenant, cx.wip.vm.spi.DaemonEndpoint endpoint, Duration grace) {
        long deadline = System.nanoTime() + grace.toNanos();
        while (true) {
            if (backend.answers(tenant, endpoint)) {
                return true;
            }
            if (System.nanoTime() > deadline || !backend.stillRuns(tenant)) {
                return false;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    private Lease acquire(String tenant, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        Duration backoff = FIRST_BACKOFF;
        while (true) {
            long seen = feed.version(tenant);
            Optional<Lease> lease = leases.tryAcquire(tenant);
            if (lease.isPresent()) {
                return lease.get();
            }
            if (System.nanoTime() > deadline) {
                throw new VmException.StillStarting();
            }
            await(tenant, seen, backoff);
            backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
        }
    }

    private void await(String tenant, long seen, Duration backoff) {
        try {
            feed.await(tenant, seen, backoff);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VmException.StillStarting();
        }
    }

    private static void fenced(boolean written, Lease lease) {
        if (!written) {
            throw new VmException.LeaseLost("epoch " + lease.epoch() + " of " + lease.tenant()
                                            + " was superseded by another replica");
        }
    }

    private static void backendCall(Runnable call) {
        try {
            call.run();
        } catch (BackendException e) {
            throw new VmException.BootFailed(e.getMessage(), e);
        }
    }

    private static RuntimeException unwrap(Throwable error) {
        if (error instanceof VmException vm) {
            return vm;
        }
        if (error instanceof BackendException backendError) {
            return new VmException.BootFailed("your environment could not be started: " + backendError.getMessage(),
                                              backendError);
        }
        return error instanceof RuntimeException runtime ? runtime : new IllegalStateException(error);
    }

    private static void validate(String tenantId) {
        if (tenantId == null || !TENANT_ID.matcher(tenantId).matches()) {
            throw new VmException.InvalidTenant("tenant id must be 1-40 letters, digits, '_' or '-', got '"
                                                + tenantId + "'");
        }
    }
}
