package cx.wip.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.UUID;

import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanIterator;
import io.lettuce.core.api.StatefulRedisConnection;

import static org.awaitility.Awaitility.await;

/**
 * A real {@code redis-server} (Debian package) on a free loopback port, private to one test class, plus a random
 * key prefix. {@link #close()} deletes that prefix and stops the server.
 */
public final class RedisProcess implements AutoCloseable {
    private Process process;
    private final int port;
    private final String prefix = "wip:auth:test:" + UUID.randomUUID() + ":";

    private RedisProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    public static RedisProcess start() {
        final int port = freePort();
        return new RedisProcess(launch(port), port);
    }

    /** Stops the server (its data is gone: no persistence). */
    public void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    /** Starts an empty server again on the same port. */
    public void restart() {
        process = launch(port);
    }

    private static Process launch(int port) {
        try {
            final Process process = new ProcessBuilder("redis-server", "--port", Integer.toString(port), "--bind",
                                                       "127.0.0.1", "--save", "", "--appendonly", "no")
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                    .until(() -> {
                        try (Socket socket = new Socket("127.0.0.1", port)) {
                            socket.setSoTimeout(5000);
                            socket.getOutputStream().write("PING\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                            final byte[] reply = new byte[5];
                            return socket.getInputStream().readNBytes(reply, 0, 5) == 5
                                    && new String(reply, java.nio.charset.StandardCharsets.US_ASCII).equals("+PONG");
                        }
                    });
            return process;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start redis-server (install the redis-server package)", e);
        }
    }

    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    public String prefix() {
        return prefix;
    }

    /** Keys under this test's prefix. */
    public long keyCount() {
        final RedisClient client = RedisClient.create(uri());
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            long count = 0;
            final ScanIterator<String> keys = ScanIterator.scan(connection.sync(), ScanArgs.Builder.matches(prefix + "*"));
            while (keys.hasNext()) {
                keys.next();
                count++;
            }
            return count;
        } finally {
            client.shutdown();
        }
    }

    @Override
    public void close() {
        final RedisClient client = RedisClient.create(uri());
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            final ScanIterator<String> keys = ScanIterator.scan(connection.sync(), ScanArgs.Builder.matches(prefix + "*"));
            while (keys.hasNext()) {
                connection.sync().del(keys.next());
            }
        } catch (RuntimeException ignored) {
            // the server may already be gone; it is private to this test anyway
        } finally {
            client.shutdown();
            process.destroy();
            try {
                if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
