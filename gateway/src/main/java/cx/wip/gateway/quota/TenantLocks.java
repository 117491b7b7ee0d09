package cx.wip.gateway.quota;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * One lock per tenant, so that two quota decisions of a tenant never read the same usage: a create holds it from
 * reading the usage until the daemon answered. Entries live only while someone holds or waits (bounded memory: at most
 * one per tenant in a quota decision right now). A Semaphore, not a ReentrantLock: nothing here needs an owner thread.
 * <p>
 * Scope: this is one gateway replica's memory. Gateways are stateless replicas without shared state, so two creates of
 * one tenant reaching two replicas at the same moment can still both pass (each sees the other's container missing);
 * the overshoot is bounded by the number of replicas serving that tenant at once.
 */
final class TenantLocks {
    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();
    private final Duration wait;

    /** A tenant's lock and how many hold or wait for it; only changed inside the map's compute (atomic per key). */
    private static final class Entry {
        final Semaphore lock = new Semaphore(1, true);
        int users;
    }

    /** A held lock; closing releases it (once). */
    interface Held extends AutoCloseable {
        @Override
        void close();
    }

    TenantLocks(Duration wait) {
        this.wait = wait;
    }

    /**
     * @return the held lock, or null when another decision of the tenant held it for longer than the wait
     */
    Held acquire(String tenant) throws InterruptedException {
        Entry entry = entries.compute(tenant, (t, e) -> {
            Entry held = e == null ? new Entry() : e;
            held.users++;
            return held;
        });
        boolean acquired = false;
        try {
            acquired = entry.lock.tryAcquire(wait.toNanos(), TimeUnit.NANOSECONDS);
        } finally {
            if (!acquired) {
                leave(tenant);
            }
        }
        if (!acquired) {
            return null;
        }
        boolean[] released = new boolean[1];
        return () -> {
            synchronized (released) {
                if (released[0]) {
                    return;
                }
                released[0] = true;
            }
            entry.lock.release();
            leave(tenant);
        };
    }

    /** Tenants with an entry now (tests check that entries go away). */
    int size() {
        return entries.size();
    }

    private void leave(String tenant) {
        entries.computeIfPresent(tenant, (t, e) -> --e.users == 0 ? null : e);
    }
}
