package cx.wip.gateway.limits;

import java.util.EnumMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import cx.wip.gateway.GatewayException;

/**
 * Per-tenant caps on what a tenant holds in the gateway at once: plain requests, hijacked sessions and long streams.
 * Each kind has its own cap so a tenant's hundred {@code logs -f} cannot keep its own {@code ps} out, and no tenant's
 * flood takes threads, sockets and daemon connections from the others. Counts live only while non-zero: the map holds
 * the tenants active right now, not every tenant ever seen.
 */
public final class TenantLimits {
    /** What an exchange holds while it runs. */
    public enum Kind {
        REQUEST("requests", "wait for some to finish and retry"),
        HIJACKED("attach/exec sessions", "end some (detach, exit) and retry"),
        STREAM("open streams (events, logs -f, wait, stats, build, load)", "close some and retry");

        private final String what;
        private final String hint;

        Kind(String what, String hint) {
            this.what = what;
            this.hint = hint;
        }
    }

    private final Map<Kind, Integer> caps = new EnumMap<>(Kind.class);
    private final Map<Kind, AtomicInteger> totals = new EnumMap<>(Kind.class);
    private final ConcurrentHashMap<String, int[]> byTenant = new ConcurrentHashMap<>();

    public TenantLimits(GatewayLimits limits) {
        caps.put(Kind.REQUEST, limits.inFlight());
        caps.put(Kind.HIJACKED, limits.hijacked());
        caps.put(Kind.STREAM, limits.streams());
        for (Kind kind : Kind.values()) {
            totals.put(kind, new AtomicInteger());
        }
    }

    /** Held by an exchange; closing it more than once releases once. */
    public interface Permit extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * @throws GatewayException 429 when the tenant already holds its cap of this kind
     */
    public Permit acquire(String tenant, Kind kind) {
        int cap = caps.get(kind);
        boolean[] granted = new boolean[1];
        byTenant.compute(tenant, (id, counts) -> {
            int[] now = counts != null ? counts : new int[Kind.values().length];
            if (now[kind.ordinal()] < cap) {
                now[kind.ordinal()]++;
                granted[0] = true;
            }
            return now;
        });
        if (!granted[0]) {
            // refused only while the tenant holds its cap (≥ 1), so its entry stays non-zero: nothing to tidy
            throw new GatewayException(429, "wip: too many " + kind.what + " at once for your account (limit " + cap
                    + ") — " + kind.hint);
        }
        totals.get(kind).incrementAndGet();
        AtomicBoolean released = new AtomicBoolean();
        return () -> {
            if (released.compareAndSet(false, true)) {
                release(tenant, kind);
            }
        };
    }

    /** Drops the tenant's entry once it holds nothing. */
    private void release(String tenant, Kind kind) {
        totals.get(kind).decrementAndGet();
        byTenant.computeIfPresent(tenant, (id, counts) -> {
            counts[kind.ordinal()]--;
            for (int count : counts) {
                if (count > 0) {
                    return counts;
                }
            }
            return null;
        });
    }

    /** Held right now across all tenants (a gauge: no tenant ids in metrics). */
    public int inUse(Kind kind) {
        return totals.get(kind).get();
    }

    /** Held right now by one tenant (tests, diagnostics). */
    public int inUse(String tenant, Kind kind) {
        int[] counts = byTenant.get(tenant);
        return counts == null ? 0 : counts[kind.ordinal()];
    }

    /** Tenants holding at least one exchange of any of these kinds right now. */
    public Set<String> tenantsHolding(Kind... kinds) {
        Set<String> tenants = new HashSet<>();
        byTenant.forEach((tenant, counts) -> {
            for (Kind kind : kinds) {
                if (counts[kind.ordinal()] > 0) {
                    tenants.add(tenant);
                }
            }
        });
        return tenants;
    }

    /** Tenants holding anything right now. */
    public int activeTenants() {
        return byTenant.size();
    }
}
