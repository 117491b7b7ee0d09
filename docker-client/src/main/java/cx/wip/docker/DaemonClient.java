package cx.wip.docker;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;


/**
 * Opens daemon connections and keeps idle keep-alive ones, per daemon address, for reuse: the gateway's forwarder and
 * usage probe, which reach many daemons (one per tenant) with many small requests.
 */
public final class DaemonClient implements AutoCloseable {
    private final Duration connectTimeout;
    private final int maxIdlePerDaemon;
    private final Optional<DaemonTls> tls;
    private final Map<DaemonAddress, ConcurrentLinkedDeque<DaemonConnection>> idle = new ConcurrentHashMap<>();

    public DaemonClient(Duration connectTimeout, int maxIdlePerDaemon, Optional<DaemonTls> tls) {
        this.connectTimeout = connectTimeout;
        this.maxIdlePerDaemon = maxIdlePerDaemon;
        this.tls = tls;
    }

    /** A pooled connection when one is idle, else a new one. */
    public DaemonConnection acquire(DaemonAddress address) throws IOException {
        ConcurrentLinkedDeque<DaemonConnection> pool = idle.get(address);
        DaemonConnection pooled = pool == null ? null : pool.pollFirst();
        return pooled != null ? pooled.reuse() : fresh(address);
    }

    /** A new connection, never a pooled one (for streamed request bodies that cannot be replayed). */
    public DaemonConnection fresh(DaemonAddress address) throws IOException {
        return DaemonConnection.open(DaemonTransport.of(address, tls, connectTimeout));
    }

    /** Returns a connection whose response was read to its end; anything else is closed. */
    public void release(DaemonConnection connection, boolean bodyComplete) {
        if (!bodyComplete || !connection.reusable()) {
            connection.close();
            return;
        }
        ConcurrentLinkedDeque<DaemonConnection> pool = idle.computeIfAbsent(connection.address(),
                a -> new ConcurrentLinkedDeque<>());
        if (pool.size() >= maxIdlePerDaemon) {
            connection.close();
        } else {
            pool.offerFirst(connection);
        }
    }

    /** Drops the idle connections of a daemon. */
    private void evict(DaemonAddress address) {
        ConcurrentLinkedDeque<DaemonConnection> pool = idle.remove(address);
        if (pool != null) {
            pool.forEach(DaemonConnection::close);
        }
    }

    @Override
    public void close() {
        idle.keySet().forEach(this::evict);
    }
}
