package cx.wip.gateway.identity;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Counts failed authentications per source address; after {@code maxFailures} within a window the address is
 * refused until the window ends, so credentials cannot be guessed. Successes do not reset the count.
 */
final class FailureThrottle {
    private record Window(long startNanos, int failures) {
    }

    private final ConcurrentHashMap<String, Window> windows = new ConcurrentHashMap<>();
    private final int maxFailures;
    private final long windowNanos;
    private final int maxAddresses;
    private final LongSupplier nanoTime;

    FailureThrottle(int maxFailures, long windowNanos, int maxAddresses, LongSupplier nanoTime) {
        this.maxFailures = maxFailures;
        this.windowNanos = windowNanos;
        this.maxAddresses = maxAddresses;
        this.nanoTime = nanoTime;
    }

    /** Seconds until {@code address} may try again; 0 when it may try now. */
    long blockedForSeconds(String address) {
        final Window window = windows.get(address);
        if (window == null || window.failures < maxFailures) {
            return 0;
        }
        final long remaining = window.startNanos + windowNanos - nanoTime.getAsLong();
        return remaining <= 0 ? 0 : Math.max(1, (remaining + 999_999_999L) / 1_000_000_000L);
    }

    void recordFailure(String address) {
        if (windows.size() >= maxAddresses) {
            final long now = nanoTime.getAsLong();
            windows.values().removeIf(w -> now - w.startNanos >= windowNanos);
        }
        final long now = nanoTime.getAsLong();
        windows.compute(address, (a, w) -> w == null || now - w.startNanos >= windowNanos
                ? new Window(now, 1)
                : new Window(w.startNanos, w.failures + 1));
    }

    /** The address part of {@code host:port}, {@code [v6]:port} or {@code /ip:port}; anything else unchanged. */
    static String addressOf(String remote) {
        if (remote == null) {
            return "";
        }
        String s = remote.startsWith("/") ? remote.substring(1) : remote;
        if (s.startsWith("[")) {
            final int end = s.indexOf(']');
            return end > 0 ? s.substring(1, end) : s;
        }
        final int colon = s.indexOf(':');
        if (colon > 0 && colon == s.lastIndexOf(':')) {
            s = s.substring(0, colon);
        }
        return s;
    }
}
