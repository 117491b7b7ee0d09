package cx.wip.docker;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One request of a {@link DockerEngine} on a connection of its own, under a deadline that closes the connection under
 * a blocked read (unix channels have no read timeout); a non-2xx answer becomes a {@link DaemonError} with the daemon's
 * {@code message}.
 */
final class EngineCall {
    private static final int MAX_ERROR = 64 << 10;

    private final DaemonTransport transport;
    private final Duration timeout;

    EngineCall(DaemonTransport transport, Duration timeout) {
        this.transport = transport;
        this.timeout = timeout;
    }

    DaemonAddress address() {
        return transport.address();
    }

    /** A call bounded by the timeout from connect to the answer's last byte. */
    <T> T call(String method, String target, Upload upload, DockerEngine.Answer<T> answer) throws DaemonException {
        return exchange(method, target, upload, answer, true);
    }

    /** A call whose answer is an endless stream: only the connect and the response head are bounded. */
    <T> T stream(String method, String target, DockerEngine.Answer<T> answer) throws DaemonException {
        return exchange(method, target, null, answer, false);
    }

    private <T> T exchange(String method, String target, Upload upload, DockerEngine.Answer<T> answer,
                           boolean bodyBounded) throws DaemonException {
        long start = System.nanoTime();
        DaemonConnection connection;
        try {
            connection = DaemonConnection.open(transport);
        } catch (IOException e) {
            throw new DaemonUnreachable("daemon " + address() + " unreachable: " + e.getMessage(), e);
        }
        long left = Math.max(timeout.toNanos() - (System.nanoTime() - start), 0);
        CompletableFuture<Void> deadline = CompletableFuture.runAsync(connection::close,
                CompletableFuture.delayedExecutor(left, TimeUnit.NANOSECONDS));
        try {
            connection.writeHead(method, target, upload == null ? Upload.NONE : upload.headers());
            if (upload != null) {
                upload.writeTo(connection.output());
            }
            ResponseHead head = connection.readHead();
            if (!bodyBounded && !deadline.cancel(false)) {
                throw new IOException("closed at the deadline");
            }
            InputStream body = connection.body(head, "HEAD".equals(method));
            if (head.status() / 100 != 2) {
                throw new DaemonError(address(), head.status(), message(head, body.readNBytes(MAX_ERROR)));
            }
            return answer.read(head, body);
        } catch (DaemonException e) {
            throw e;
        } catch (IOException e) {
            if (deadline.isDone() && !deadline.isCancelled()) {
                throw new DaemonUnreachable("daemon " + address() + " did not answer " + method + " " + path(target)
                        + " within " + timeout, e);
            }
            throw new DaemonUnreachable("daemon " + address() + " broke off " + method + " " + path(target) + ": "
                    + e.getMessage(), e);
        } finally {
            deadline.cancel(false);
            connection.close();
        }
    }

    /** Docker's {@code {"message": …}}, else the answer's text, else its status line. */
    private static String message(ResponseHead head, byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8).strip();
        try {
            JsonNode json = DockerEngine.JSON.readTree(body);
            if (json != null && json.hasNonNull("message")) {
                return json.get("message").asText();
            }
        } catch (IOException notJson) {
            // a proxy or an old daemon answering in text
        }
        return text.isEmpty() ? head.status() + " " + head.reason() : text;
    }

    /** The target without its query (filters and names are not for logs). */
    private static String path(String target) {
        int query = target.indexOf('?');
        return query < 0 ? target : target.substring(0, query);
    }
}
