package cx.wip.gateway.proxy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import cx.wip.docker.DaemonConnection;

import io.helidon.webserver.CloseConnectionException;

/**
 * Streams a large request body (build context, {@code cp} in, {@code load}) to the daemon on its own virtual thread,
 * so the daemon's answer can be read while the body still flows. If the daemon stops reading (it answered early with
 * an error), the rest of the client's body is drained so the client reads that answer instead of a broken pipe. If
 * the client goes away mid-body, the daemon's side is half-closed so it answers (an error) instead of waiting for the
 * rest forever — which held the exchange, its daemon connection and the tenant's stream slot.
 */
final class BodyUpload {
    private static final int BUFFER = 64 * 1024;

    private final CompletableFuture<Long> done = new CompletableFuture<>();

    private BodyUpload() {
    }

    static BodyUpload start(InputStream client, DaemonConnection connection, boolean chunked) {
        BodyUpload upload = new BodyUpload();
        Thread.ofVirtual().name("wip-body-upload").start(() -> upload.copy(client, connection, chunked));
        return upload;
    }

    private void copy(InputStream client, DaemonConnection connection, boolean chunked) {
        OutputStream daemon = connection.output();
        long total = 0;
        try (client) {
            ChunkedOutputStream chunks = chunked ? new ChunkedOutputStream(daemon) : null;
            // room around the data, so that a chunk is framed in place and leaves in one write
            int off = ChunkedOutputStream.HEADROOM;
            byte[] buffer = new byte[off + BUFFER + ChunkedOutputStream.TAILROOM];
            int n;
            try {
                while ((n = client.read(buffer, off, BUFFER)) != -1) {
                    total += n;
                    if (chunks != null) {
                        chunks.writeFramed(buffer, off, n);
                    } else {
                        daemon.write(buffer, off, n);
                    }
                    if (client.available() == 0) {
                        daemon.flush();
                    }
                }
                if (chunks != null) {
                    chunks.finish();
                } else {
                    daemon.flush();
                }
            } catch (IOException daemonStoppedReading) {
                total += client.transferTo(OutputStream.nullOutputStream());
            }
            done.complete(total);
        } catch (IOException | RuntimeException clientBroken) {
            try {
                connection.shutdownOutput();
            } catch (IOException gone) {
                connection.close();
            }
            done.complete(total);
        }
    }

    /** Waits for the body to be consumed; a client that never finishes its body loses the connection. */
    long finish(long timeout, TimeUnit unit) {
        try {
            return done.get(timeout, unit);
        } catch (TimeoutException | ExecutionException e) {
            throw new CloseConnectionException("request body did not end", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CloseConnectionException("interrupted", e);
        }
    }
}
