package cx.wip.vm.boot;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;

/**
 * Wakes waiters when a tenant's record changes in any replica (Redis pub/sub on {@code <prefix>changed:*}).
 * A waiter reads the version, reads the record, and waits for a newer version (or a timeout, which covers
 * a message lost between the two).
 */
final class ChangeFeed implements AutoCloseable {
    private final Map<String, Version> versions = new ConcurrentHashMap<>();
    private final StatefulRedisPubSubConnection<String, String> connection;

    ChangeFeed(StatefulRedisPubSubConnection<String, String> connection, RedisKeys keys) {
        this.connection = connection;
        connection.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String pattern, String channel, String message) {
                changed(keys.tenantOfChannel(channel));
            }
        });
        connection.sync().psubscribe(keys.changedPattern());
    }

    long version(String tenant) {
        return versionOf(tenant).value;
    }

    /** Waits until the tenant's record changed after {@code seen}, or {@code timeout} passed. */
    void await(String tenant, long seen, Duration timeout) throws InterruptedException {
        Version version = versionOf(tenant);
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (version) {
            while (version.value == seen) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                version.wait(Math.max(1, left / 1_000_000));
            }
        }
    }

    /** Also called locally after our own writes, so local waiters need no round trip. */
    void changed(String tenant) {
        Version version = versionOf(tenant);
        synchronized (version) {
            version.value++;
            version.notifyAll();
        }
    }

    @Override
    public void close() {
        connection.close();
    }

    private Version versionOf(String tenant) {
        return versions.computeIfAbsent(tenant, t -> new Version());
    }

    private static final class Version {
        private long value;
    }
}
