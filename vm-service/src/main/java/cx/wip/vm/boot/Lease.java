package cx.wip.vm.boot;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A held boot lease for one tenant: renewed in the background until closed; once a renewal fails the lease is
 * {@link #lost()} and its holder must stop acting (its fenced writes would be refused anyway).
 */
final class Lease implements AutoCloseable {
    private final Leases leases;
    private final String tenant;
    private final String token;
    private final long epoch;
    private final AtomicBoolean lost = new AtomicBoolean();
    private volatile ScheduledFuture<?> renewal;

    Lease(Leases leases, String tenant, String token, long epoch) {
        this.leases = leases;
        this.tenant = tenant;
        this.token = token;
        this.epoch = epoch;
    }

    String tenant() {
        return tenant;
    }

    String token() {
        return token;
    }

    long epoch() {
        return epoch;
    }

    boolean lost() {
        return lost.get();
    }

    void markLost() {
        lost.set(true);
    }

    void renewal(ScheduledFuture<?> renewal) {
        this.renewal = renewal;
    }

    /** Stops renewing and releases the lease by compare-and-delete (never a plain DEL). */
    @Override
    public void close() {
        ScheduledFuture<?> scheduled = renewal;
        if (scheduled != null) {
            scheduled.cancel(false);
        }
        leases.release(this);
    }
}
