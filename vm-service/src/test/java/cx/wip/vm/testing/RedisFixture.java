package cx.wip.vm.testing;

import java.util.UUID;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;

/** The test Redis on 127.0.0.1:6379 with a random key prefix of our own; {@link #close()} deletes only that prefix. */
public final class RedisFixture implements AutoCloseable {
    public static final String URI = "redis://127.0.0.1:6379";

    private final String prefix = "wip:vm:test:" + UUID.randomUUID() + ":";
    private final RedisClient client = RedisClient.create(URI);
    private final StatefulRedisConnection<String, String> connection = client.connect();

    public String prefix() {
        return prefix;
    }

    public RedisCommands<String, String> redis() {
        return connection.sync();
    }

    @Override
    public void close() {
        RedisCommands<String, String> redis = connection.sync();
        ScanCursor cursor = ScanCursor.INITIAL;
        do {
            KeyScanCursor<String> page = redis.scan(cursor, ScanArgs.Builder.matches(prefix + "*").limit(500));
            if (!page.getKeys().isEmpty()) {
                redis.del(page.getKeys().toArray(String[]::new));
            }
            cursor = page;
        } while (!cursor.isFinished());
        connection.close();
        client.shutdown();
    }
}
