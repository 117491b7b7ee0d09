package cx.wip.ingress;

import cx.wip.ingress.docker.Containers;

import java.net.URI;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps routes true without being told: follows each known daemon's container events (a crash, a restart by the
 * restart policy, a removal behind the gateway's back) and re-syncs every known tenant periodically, which also
 * removes routes of tenants ingress-service no longer knows.
 */
final class Reconciler implements AutoCloseable {
    private static final Logger LOGGER = Logger.getLogger(Reconciler.class.getName());
    private static final Set<String> ACTIONS = Set.of("start", "restart", "die", "stop", "kill", "destroy", "pause",
            "unpause", "rename");

    private final IngressStore store;
    private final RouteBackend backend;
    private final Function<URI, Containers> docker;
    private final Duration interval;
    private final Ingress ingress;
    private final Set<URI> followed = ConcurrentHashMap.newKeySet();
    private final Set<String> pending = ConcurrentHashMap.newKeySet();
    private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("ingress-reconcile").factory());
    private volatile boolean closed;

    Reconciler(IngressStore store, RouteBackend backend, Function<URI, Containers> docker, Duration interval,
               Ingress ingress) {
        this.store = store;
        this.backend = backend;
        this.docker = docker;
        this.interval = interval;
        this.ingress = ingress;
    }

    /** Reconciles everything now, then every interval; follows the daemons of every known tenant. */
    void start() {
        for (String id : store.tenantIds()) {
            store.tenant(id).ifPresent(tenant -> follow(tenant.daemon()));
        }
        reconcileAll();
        timer.scheduleWithFixedDelay(this::reconcileAll, interval.toMillis(), interval.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** Follows the daemon's container events from now on (idempotent); returns once the stream is open or failed. */
    void follow(URI daemon) {
        if (closed || !followed.add(daemon)) {
            return;
        }
        CountDownLatch open = new CountDownLatch(1);
        workers.submit(() -> followForever(daemon, open));
        try {
            open.await(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    void reconcileAll() {
        Set<String> keys = new HashSet<>();
        for (String id : store.tenantIds()) {
            keys.add(TenantKey.of(id).value());
            requestSync(id);
        }
        try {
            for (TenantKey orphan : backend.tenants()) {
                // a tenant may have been remembered since the list was read: check again before removing
                if (!keys.contains(orphan.value()) && store.tenantIds().stream()
                        .noneMatch(id -> TenantKey.of(id).equals(orphan))) {
                    LOGGER.info(() -> "removing routes of unknown tenant key " + orphan.value());
                    backend.apply(orphan, List.of());
                }
            }
        } catch (RuntimeException e) {
            LOGGER.log(Level.WARNING, "reconcile of the route backend failed", e);
        }
    }

    /** Coalesces: a tenant already waiting for a sync is not queued twice. */
    void requestSync(String tenantId) {
        if (closed || !pending.add(tenantId)) {
            return;
        }
        workers.submit(() -> {
            pending.remove(tenantId);
            try {
                store.tenant(tenantId).ifPresent(ingress::sync);
            } catch (RuntimeException e) {
                LOGGER.log(Level.WARNING, "sync of tenant " + tenantId + " failed", e);
            }
        });
    }

    /**
     * Follows the daemon's events for as long as ingress-service runs. When the stream opens again after it ended (the
     * daemon restarted, or its engine woke from sleep), the daemon's tenants are synced: what changed while nobody
     * listened (containers started again on wake, ports published anew) reaches their routes.
     */
    private void followForever(URI daemon, CountDownLatch open) {
        AtomicBoolean openedBefore = new AtomicBoolean();
        while (!closed) {
            try {
                docker.apply(daemon).followContainerEvents(() -> {
                    open.countDown();
                    if (openedBefore.getAndSet(true)) {
                        tenantsOn(daemon).forEach(this::requestSync);
                    }
                }, event -> {
                    if (ACTIONS.contains(event.action())) {
                        store.ownerOf(event.containerId()).ifPresentOrElse(this::requestSync,
                                () -> dedicatedTenants(daemon).forEach(this::requestSync));
                    }
                });
            } catch (Exception e) {
                if (!closed) {
                    LOGGER.log(Level.FINE, "event stream of " + daemon + " ended", e);
                }
            }
            open.countDown();
            sleepQuietly(1000);
        }
    }

    private List<String> tenantsOn(URI daemon) {
        return store.tenantIds().stream().filter(id -> store.tenant(id).filter(t -> t.daemon().equals(daemon))
                .isPresent()).toList();
    }

    private List<String> dedicatedTenants(URI daemon) {
        return store.tenantIds().stream().filter(id -> store.tenant(id)
                .filter(t -> t.dedicated() && t.daemon().equals(daemon)).isPresent()).toList();
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closed = true;
        timer.shutdownNow();
        workers.shutdownNow();
    }
}
