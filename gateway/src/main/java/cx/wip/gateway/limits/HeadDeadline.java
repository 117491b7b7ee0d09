package cx.wip.gateway.limits;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

import io.helidon.common.socket.SocketOptions;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.http1.Http1ConnectionListener;

/**
 * Closes TCP connections that do not complete a request head in time (slowloris). Helidon 4.5's idle timeout cannot:
 * it only sees a connection once its first request line is whole, and then interrupts it only while it waits for a
 * request line, never while headers trickle in. So the deadline is armed where Helidon configures each accepted
 * socket (an accept hook through {@link #socketOptions}) and again at every later request line, and disarmed when
 * the headers are complete; hijacks, streams and uploads run after that and are never cut. Connections are matched
 * by their remote address (TCP only: the unix-socket listener is local).
 */
public final class HeadDeadline implements Http1ConnectionListener, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(HeadDeadline.class.getName());

    private final long timeoutNanos;
    private final Map<SocketAddress, Watched> watched = new ConcurrentHashMap<>();
    private final ScheduledExecutorService sweeper;
    private final AtomicLong closed = new AtomicLong();

    /** An open connection and the time its pending head must be whole by ({@code NONE}: no head pending). */
    private static final class Watched {
        private static final long NONE = Long.MAX_VALUE;
        private final SocketChannel channel;
        private volatile long deadline;

        private Watched(SocketChannel channel, long deadline) {
            this.channel = channel;
            this.deadline = deadline;
        }
    }

    public HeadDeadline(Duration timeout) {
        this.timeoutNanos = timeout.toNanos();
        this.sweeper = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon()
                .name("wip-head-deadline").unstarted(r));
        long period = Math.clamp(timeout.toMillis() / 10, 50, 1000);
        sweeper.scheduleAtFixedRate(this::sweep, period, period, TimeUnit.MILLISECONDS);
    }

    /** The listener's socket options, plus the accept hook that arms the deadline of each new connection. */
    public SocketOptions socketOptions(SocketOptions options) {
        return new ArmingOptions(options);
    }

    /** Connections closed for a late head so far (a counter). */
    public long closedCount() {
        return closed.get();
    }

    /** Connections whose head is awaited right now (a gauge). */
    public int awaiting() {
        return (int) watched.values().stream().filter(w -> w.deadline != Watched.NONE).count();
    }

    @Override
    public void prologue(ConnectionContext ctx, HttpPrologue prologue) {
        // a later request on a kept-alive connection: its headers get a deadline too (the first one's runs from accept)
        Watched w = watched.get(ctx.remotePeer().address());
        if (w != null && w.deadline == Watched.NONE) {
            w.deadline = System.nanoTime() + timeoutNanos;
        }
    }

    @Override
    public void headers(ConnectionContext ctx, Headers headers) {
        Watched w = watched.get(ctx.remotePeer().address());
        if (w != null) {
            w.deadline = Watched.NONE;
        }
    }

    @Override
    public void close() {
        sweeper.shutdownNow();
    }

    private void arm(SocketChannel channel) {
        try {
            SocketAddress peer = channel.getRemoteAddress();
            if (peer instanceof InetSocketAddress) {
                watched.put(peer, new Watched(channel, System.nanoTime() + timeoutNanos));
            }
        } catch (IOException gone) {
            // closed before it could be armed
        }
    }

    private void sweep() {
        long now = System.nanoTime();
        watched.forEach((peer, w) -> {
            long deadline = w.deadline;
            if (!w.channel.isOpen()) {
                watched.remove(peer, w);
            } else if (deadline != Watched.NONE && now - deadline > 0 && watched.remove(peer, w)) {
                closed.incrementAndGet();
                LOG.log(Level.FINE, () -> "closing " + peer + ": no whole request head within the deadline");
                try {
                    w.channel.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
            }
        });
    }

    /** Delegates every option; {@code configureSocket} is called once per accepted connection. */
    private final class ArmingOptions implements SocketOptions {
        private final SocketOptions delegate;

        private ArmingOptions(SocketOptions delegate) {
            this.delegate = delegate;
        }

        @Override
        public void configureSocket(SocketChannel channel) {
            delegate.configureSocket(channel);
            arm(channel);
        }

        @Override
        public void configureSocket(java.net.Socket socket) {
            delegate.configureSocket(socket);
        }

        @Override
        public Map<SocketOption<?>, Object> socketOptions() {
            return delegate.socketOptions();
        }

        @Override
        public Duration connectTimeout() {
            return delegate.connectTimeout();
        }

        @Override
        public Duration readTimeout() {
            return delegate.readTimeout();
        }

        @Override
        public Optional<Integer> socketReceiveBufferSize() {
            return delegate.socketReceiveBufferSize();
        }

        @Override
        public Optional<Integer> socketSendBufferSize() {
            return delegate.socketSendBufferSize();
        }

        @Override
        public boolean socketReuseAddress() {
            return delegate.socketReuseAddress();
        }

        @Override
        public boolean socketKeepAlive() {
            return delegate.socketKeepAlive();
        }

        @Override
        public boolean tcpNoDelay() {
            return delegate.tcpNoDelay();
        }
    }
}
