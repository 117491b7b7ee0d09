package cx.wip.docker;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;


/**
 * One HTTP/1.1 connection to a Docker daemon. Used by one exchange at a time; returned to its
 * {@link DaemonClient} pool when the response body was read to its end.
 */
public final class DaemonConnection implements Closeable {
    /**
     * Both buffers are allocated with the connection and held as long as it lives (a hijacked session holds them while
     * idle: 64 + 64 KiB each were most of an idle attach session's memory). Reads and writes at least this large
     * (streamed bodies, uploads) bypass them and go straight to and from the caller's array. 16 KiB in is HAProxy's
     * buffer size; 8 KiB out holds a request head and a small body (one write).
     */
    private static final int IN_BUFFER = 16 * 1024;
    private static final int OUT_BUFFER = 8 * 1024;
    private static final AtomicInteger OPEN = new AtomicInteger();

    private final DaemonAddress address;
    private final DaemonSocket socket;
    private final InputStream in;
    private final OutputStream out;
    private boolean reusable;
    private boolean reused;
    private final AtomicBoolean closed = new AtomicBoolean();

    private DaemonConnection(DaemonAddress address, DaemonSocket socket) throws IOException {
        this.address = address;
        this.socket = socket;
        this.in = new BufferedInputStream(socket.in(), IN_BUFFER);
        this.out = new BufferedOutputStream(socket.out(), OUT_BUFFER);
    }

    DaemonConnection reuse() {
        reused = true;
        reusable = false;
        return this;
    }

    /** A new connection over the transport (no pooling: see {@link DaemonClient} for that). */
    public static DaemonConnection open(DaemonTransport transport) throws IOException {
        DaemonSocket socket = transport.connect();
        DaemonConnection connection;
        try {
            connection = new DaemonConnection(transport.address(), socket);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
        OPEN.incrementAndGet();
        return connection;
    }

    /** Daemon connections open right now, pooled or in use (a gauge; a leak shows here). */
    public static int openCount() {
        return OPEN.get();
    }

    public DaemonAddress address() {
        return address;
    }

    /** Whether this connection was taken from the pool (a failure before any answer may mean it went stale). */
    public boolean reused() {
        return reused;
    }

    /** Writes the request line and headers; the caller then writes the body to {@link #output()}. */
    public void writeHead(String method, String target, List<ResponseHead.Header> headers) throws IOException {
        // the last wall behind RequestTarget: never re-encode a target, and never let a byte split the request line
        for (int i = 0; i < target.length(); i++) {
            char c = target.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                throw new IllegalArgumentException("request target is not printable ASCII; nothing was sent");
            }
        }
        StringBuilder sb = new StringBuilder(512).append(method).append(' ').append(target).append(" HTTP/1.1\r\n");
        sb.append("Host: docker\r\n");
        for (ResponseHead.Header h : headers) {
            sb.append(h.name()).append(": ").append(h.value()).append("\r\n");
        }
        sb.append("\r\n");
        out.write(sb.toString().getBytes(StandardCharsets.ISO_8859_1));
    }

    /** The raw request output (after the head). Flush when the request is complete. */
    public OutputStream output() {
        return out;
    }

    /** The raw response input: after a 101 it carries the hijacked stream. */
    public InputStream input() {
        return in;
    }

    public ResponseHead readHead() throws IOException {
        out.flush();
        return ResponseHead.read(in);
    }

    /**
     * The response body, framed by Content-Length or chunked encoding, or until the daemon closes.
     * The connection becomes reusable once a framed body was read to its end.
     */
    public InputStream body(ResponseHead head, boolean headRequest) {
        if (headRequest || head.status() == 204 || head.status() == 304 || head.status() / 100 == 1) {
            reusable = head.status() != 101;
            return InputStream.nullInputStream();
        }
        if (head.chunked()) {
            reusable = true;
            return new ChunkedInputStream(in);
        }
        long length = head.contentLength();
        if (length >= 0) {
            reusable = true;
            return new LimitedInputStream(in, length);
        }
        return in;
    }

    boolean reusable() {
        return reusable;
    }

    /** Half-close toward the daemon: it sees EOF on stdin and keeps sending output. */
    public void shutdownOutput() throws IOException {
        out.flush();
        socket.shutdownOutput();
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            OPEN.decrementAndGet();
        }
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing a socket that is already gone
        }
    }
}
