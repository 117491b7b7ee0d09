package cx.wip.gateway.proxy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.concurrent.TimeUnit;

import cx.wip.docker.DaemonClient;
import cx.wip.docker.DaemonConnection;
import cx.wip.docker.ResponseHead;
import cx.wip.docker.DaemonAddress;
import cx.wip.gateway.limits.BufferBudget;

import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * Carries one client exchange to a daemon and back: the request head and body (small bodies buffered so a stale
 * pooled connection can be retried, large ones streamed on their own thread), then the response — streamed and
 * flushed as it arrives, or hijacked into a byte pipe after a 101.
 */
public final class Forwarder {
    private static final int SMALL_BODY = 64 * 1024;
    private static final int BUFFER = 64 * 1024;
    private static final int SMALL_ANSWER = 8 * 1024;
    private static final int MAX_REWRITTEN = 8 * 1024 * 1024;

    private final DaemonClient daemons;

    public Forwarder(DaemonClient daemons) {
        this.daemons = daemons;
    }

    /** Hijacked connections open right now. */
    public static int openHijacked() {
        return HijackedPipe.open();
    }

    /**
     * What to forward besides the client's request.
     *
     * @param target   the request target to send: the very string that was routed and reviewed
     * @param carriage how the exchange is carried
     * @param body     a body replacing the client's (reviewed and re-serialised), or null to send the client's
     * @param response rewrites a successful small JSON response (create warnings, redaction), or null
     * @param buffers  the exchange's share of the gateway's buffer budget: what is held in memory is reserved there
     */
    public record Plan(String target, Carriage carriage, byte[] body, JsonRewrite response,
                       BufferBudget.Reservation buffers) {
    }

    /** Rewrites a small JSON response body of the given status. */
    @FunctionalInterface
    public interface JsonRewrite {
        byte[] rewrite(int status, byte[] body);
    }

    /** What happened, for the access log and lifecycle reports. */
    public record Outcome(int status, long bytesIn, long bytesOut, boolean upgraded) {
    }

    /**
     * @throws IOException when the daemon cannot be reached before anything was sent to the client
     */
    public Outcome forward(ServerRequest request, ServerResponse response, DaemonAddress daemon, Plan plan)
            throws IOException {
        String upgrade = plan.carriage() == Carriage.HIJACK ? Headers.upgradeRequested(request) : null;
        byte[] body = plan.body() != null ? plan.body() : smallBody(request, plan.buffers());
        boolean streamed = body == null && request.content().hasEntity();
        // streams and hijacks hold their connection until it closes: they never take a pooled one
        boolean pooled = !streamed && plan.carriage() == Carriage.FORWARD;
        Sent sent;
        try {
            sent = send(request, plan.target(), upgrade, body, streamed,
                    pooled ? daemons.acquire(daemon) : daemons.fresh(daemon));
        } catch (StaleConnection stale) {
            sent = send(request, plan.target(), upgrade, body, false, daemons.fresh(daemon));
        }
        return respond(request, response, plan, sent, upgrade, body);
    }

    /** A request sent and its response head read. */
    private record Sent(DaemonConnection connection, ResponseHead head, BodyUpload upload) {
    }

    /** A pooled connection failed before any answer: the daemon closed it while idle; retry on a fresh one. */
    private static final class StaleConnection extends IOException {
        StaleConnection(IOException cause) {
            super(cause);
        }
    }

    private static Sent send(ServerRequest request, String target, String upgrade, byte[] body, boolean streamed,
                             DaemonConnection connection) throws IOException {
        String method = request.prologue().method().text();
        long length = body != null ? body.length : streamed ? request.headers().contentLength().orElse(-1) : -2;
        BodyUpload upload = null;
        try {
            connection.writeHead(method, target, Headers.toDaemon(request, length, upgrade));
            if (streamed) {
                upload = BodyUpload.start(request.content().inputStream(), connection, length < 0);
            } else if (body != null) {
                connection.output().write(body);
            }
            return new Sent(connection, connection.readHead(), upload);
        } catch (IOException e) {
            connection.close();
            if (connection.reused() && !streamed) {
                throw new StaleConnection(e);
            }
            throw e;
        }
    }

    private Outcome respond(ServerRequest request, ServerResponse response, Plan plan, Sent sent, String upgrade,
                            byte[] body) {
        DaemonConnection connection = sent.connection();
        ResponseHead head = sent.head();
        BodyUpload upload = sent.upload();
        long bytesIn = upload != null ? -1 : body != null ? body.length : 0;
        if (head.status() == 101 && upgrade != null) {
            return hijack(response, connection, head, bytesIn);
        }
        boolean headRequest = "HEAD".equals(request.prologue().method().text());
        InputStream in = connection.body(head, headRequest);
        long bytesOut = 0;
        boolean complete = false;
        try {
            // read before any header is set: a full buffer budget still answers a clean 503
            byte[] small = plan.response() != null && head.status() / 100 == 2 && !headRequest
                    ? readSmall(in, plan.buffers()) : null;
            response.status(Status.create(head.status(), head.reason()));
            Headers.toClient(head.headers(), response);
            if (small != null) {
                byte[] rewritten = plan.response().rewrite(head.status(), small);
                response.headers().contentLength(rewritten.length);
                BodySink sink = response.sink(BodySink.TYPE);
                sink.body().write(rewritten);
                sink.close();
                bytesOut = rewritten.length;
            } else {
                bytesOut = relay(request, response, plan.carriage(), connection, head, in);
            }
            complete = true;
        } catch (IOException | UncheckedIOException e) {
            // the daemon or the client went away mid-body: the client connection cannot be reused
            throw new CloseConnectionException("exchange broken: " + e.getMessage(), e);
        } finally {
            daemons.release(connection, complete && plan.carriage() == Carriage.FORWARD);
            if (upload != null) {
                bytesIn = upload.finish(30, TimeUnit.SECONDS);
            }
        }
        return new Outcome(head.status(), bytesIn, bytesOut, false);
    }

    private long relay(ServerRequest request, ServerResponse response, Carriage carriage, DaemonConnection connection,
                       ResponseHead head, InputStream in) throws IOException {
        boolean framedByLength = !head.chunked() && head.contentLength() >= 0;
        if (framedByLength) {
            response.headers().contentLength(head.contentLength());
        }
        boolean stream = carriage == Carriage.STREAM;
        if (stream) {
            response.headers().set(HeaderValues.CONNECTION_CLOSE);
        }
        BodySink sink = response.sink(BodySink.TYPE);
        ClientWatch watch = stream && !request.content().hasEntity() ? ClientWatch.start(sink.connection(), connection) : null;
        try {
            if (stream && !framedByLength) {
                sink.flushHeaders();
            }
            OutputStream out = sink.body();
            // most answers are small JSON: a 64 KiB buffer per exchange was the gateway's top CPU cost. A tenant
            // engine (authorization plug-in) answers them chunked, without a length: plain exchanges then read
            // through a small buffer; streams (save, logs, export) keep the large one
            byte[] buffer = new byte[framedByLength ? (int) Math.clamp(head.contentLength(), 1, BUFFER)
                    : stream ? BUFFER : SMALL_ANSWER];
            long total = 0;
            int filled = 0;
            int n;
            // what the daemon has sent already fills the buffer before it goes out: a stream (save, export) arrives
            // in the daemon's small chunks, and each write to the client is a chunk and a system call of its own
            while ((n = in.read(buffer, filled, buffer.length - filled)) != -1) {
                filled += n;
                boolean more = in.available() > 0;
                if (filled == buffer.length || !more && filled > 0) {
                    out.write(buffer, 0, filled);
                    total += filled;
                    filled = 0;
                }
                if (!more) {
                    out.flush();
                }
            }
            if (filled > 0) {
                out.write(buffer, 0, filled);
                total += filled;
            }
            sink.close();
            return total;
        } finally {
            if (watch != null) {
                watch.close();
            }
        }
    }

    private Outcome hijack(ServerResponse response, DaemonConnection connection, ResponseHead head, long bytesIn) {
        RawSink raw = response.sink(RawSink.TYPE);
        HijackedPipe pipe = new HijackedPipe();
        try {
            pipe.run(raw.connection(), connection, head);
        } catch (IOException | RuntimeException ended) {
            // either side went away: the pipe is over
        }
        throw new HijackEnded(new Outcome(101, bytesIn + pipe.bytesFromClient(), pipe.bytesToClient(), true));
    }

    /** A JSON answer that is rewritten (create warnings, redaction): read whole, bounded; too large fails closed. */
    private static byte[] readSmall(InputStream in, BufferBudget.Reservation buffers) throws IOException {
        byte[] body = buffers.readAtMost(in, MAX_REWRITTEN);
        if (body == null) {
            throw new IOException("daemon answer larger than " + MAX_REWRITTEN + " bytes cannot be reviewed");
        }
        return body;
    }

    /** Reads a small request body (Content-Length ≤ 64 KiB) so the exchange can be retried on a stale connection. */
    private static byte[] smallBody(ServerRequest request, BufferBudget.Reservation buffers) throws IOException {
        if (!request.content().hasEntity()) {
            return null;
        }
        long length = request.headers().contentLength().orElse(-1);
        if (length < 0 || length > SMALL_BODY) {
            return null;
        }
        buffers.grow(length);
        try (InputStream in = request.content().inputStream()) {
            return in.readAllBytes();
        }
    }

    /**
     * Ends a hijacked exchange: Helidon closes the connection, the handler still gets its outcome for the log.
     */
    public static final class HijackEnded extends CloseConnectionException {
        private final transient Outcome outcome;

        HijackEnded(Outcome outcome) {
            super("hijacked connection ended");
            this.outcome = outcome;
        }

        public Outcome outcome() {
            return outcome;
        }
    }
}
