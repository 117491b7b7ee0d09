package cx.wip.gateway.identity;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Proven credentials for a short time, so a warm request pays no gRPC round trip. Only successes are cached:
 * a denial is always asked again (and counted by the throttle). Bounded: when full, expired entries go first,
 * then everything (the next requests simply ask auth-service again).
 */
final class CredentialCache {
    private record Entry(Tenant tenant, long expiresAtNanos) {
    }

    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();
    private final long ttlNanos;
    private final int maxEntries;
    private final LongSupplier nanoTime;

    CredentialCache(long ttlNanos, int maxEntries, LongSupplier nanoTime) {
        this.ttlNanos = ttlNanos;
        this.maxEntries = maxEntries;
        this.nanoTime = nanoTime;
    }

    Optional<Tenant> get(String key) {
        final Entry entry = entries.get(key);
        if (entry == null) {
            return Optional.empty();
        }
        if (nanoTime.getAsLong() - entry.expiresAtNanos >= 0) {
            entries.remove(key, entry);
            return Optional.empty();
        }
        return Optional.of(entry.tenant);
    }

    void put(String key, Tenant tenant) {
        if (ttlNanos == 0) {
            return;
        }
        if (entries.size() >= maxEntries) {
            final long now = nanoTime.getAsLong();
            entries.values().removeIf(e -> now - e.expiresAtNanos >= 0);
            if (entries.size() >= maxEntries) {
                entries.clear();
            }
        }
        entries.put(key, new Entry(tenant, nanoTime.getAsLong() + ttlNanos));
    }

    int size() {
        return entries.size();
    }
}
