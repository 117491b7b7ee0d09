package cx.wip.gateway.quota;

import java.time.Duration;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

import cx.wip.gateway.GatewayException;
import cx.wip.docker.DaemonClient;
import cx.wip.gateway.endpoint.EndpointResolver;
import cx.wip.gateway.identity.Tenant;
import cx.wip.gateway.review.Operation;
import cx.wip.telemetry.RequestIds;

/**
 * The quota step of the request path. A container create or update takes the tenant's lock, reads the tenant's usage
 * and keeps the lock until the exchange is over (the daemon answered): no other create or update of the tenant reads
 * the usage in between, so two of them cannot both count the same free slot. When the usage cannot be read the change
 * is refused (503) — it is never forwarded unchecked.
 * <p>
 * Atomic per gateway replica only: see {@link TenantLocks}.
 */
public final class Quotas {
    /** The label the policy stamps on every container it allows (its memory at create): what the quota counts. */
    public static final String PLATFORM_LABEL = "cx.wip.memory";
    static final String BUSY = "wip: another change to your containers is in progress — retry";
    static final String UNKNOWN = "wip: cannot check your usage right now — retry in a moment";

    private static final Logger LOGGER = Logger.getLogger(Quotas.class.getName());
    private static final Decision UNCOUNTED = new Decision(Optional.empty(), null);

    private final boolean enforced;
    private final EndpointResolver endpoints;
    private final TenantLocks locks;
    private final DaemonUsage usage;

    /**
     * @param enforced     whether the reviewer checks plan quotas (policy-service does for every plan); without it no
     *                     usage is read and nothing is locked
     * @param wait         how long a change waits for another change of the same tenant
     * @param usageTimeout how long reading the usage may take
     * @param label        the label that marks the platform's containers
     */
    public Quotas(boolean enforced, EndpointResolver endpoints, DaemonClient daemons, Duration wait,
                  Duration usageTimeout, String label) {
        this.enforced = enforced;
        this.endpoints = endpoints;
        this.locks = new TenantLocks(wait);
        this.usage = new DaemonUsage(daemons, usageTimeout, label);
    }

    /** Whether this operation's review carries the tenant's usage. */
    public static boolean counted(Operation operation) {
        return operation == Operation.CONTAINER_CREATE || operation == Operation.CONTAINER_UPDATE;
    }

    /**
     * @param containerId the {@code {id}} of an update (its own memory is left out of the usage), null for a create
     * @return the usage to review with, holding the tenant's lock until closed
     * @throws GatewayException 503 when another change of the tenant held the lock too long, or the usage is unknown
     */
    public Decision begin(Tenant tenant, Operation operation, String containerId) {
        if (!enforced || !counted(operation)) {
            return UNCOUNTED;
        }
        TenantLocks.Held held;
        try {
            held = locks.acquire(tenant.id());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GatewayException(503, BUSY);
        }
        if (held == null) {
            throw new GatewayException(503, BUSY);
        }
        try {
            return new Decision(Optional.of(usage.read(endpoints.endpoint(tenant),
                    operation == Operation.CONTAINER_UPDATE ? containerId : null)), held);
        } catch (GatewayException e) {
            held.close(); // the daemon cannot be had (still starting…): that answer stands
            throw e;
        } catch (UsageUnknown | RuntimeException e) {
            held.close();
            endpoints.invalidate(tenant); // the daemon may have moved; the next attempt asks afresh
            LOGGER.log(Level.WARNING, "request " + RequestIds.requestId().orElse("-") + ": usage of tenant "
                    + tenant.id() + " unknown, " + operation + " refused: " + e.getMessage(), e);
            throw new GatewayException(503, UNKNOWN);
        }
    }

    /** Tenants holding or waiting for their lock now (tests check that nothing is left behind). */
    public int lockedTenants() {
        return locks.size();
    }

    /** The usage a review carries (empty when none is counted), and the tenant's lock until closed. */
    public static final class Decision implements AutoCloseable {
        private final Optional<Usage> usage;
        private final TenantLocks.Held held;

        private Decision(Optional<Usage> usage, TenantLocks.Held held) {
            this.usage = usage;
            this.held = held;
        }

        public Optional<Usage> usage() {
            return usage;
        }

        @Override
        public void close() {
            if (held != null) {
                held.close();
            }
        }
    }
}
