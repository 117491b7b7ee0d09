package cx.wip.ingress.wake;

import cx.wip.proto.vm.v1.EnsureEndpointResponse;
import cx.wip.proto.vm.v1.State;
import cx.wip.proto.vm.v1.TenantRecord;

import io.grpc.StatusRuntimeException;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The second upstream of every route: a request reaches it only when its app cannot be dialled. It finds the route by
 * the request's Host in ingress-service's own store (never an address taken from the request), wakes a sleeping engine
 * through vm-service (concurrent requests to one tenant share one wake), waits until the app accepts a connection,
 * and relays the held request to it (see {@link Relay}). Every failure is a short plain answer, never a hang.
 */
public final class Waker implements AutoCloseable {
    private static final Logger LOGGER = Logger.getLogger(Waker.class.getName());
    private static final int HEAD_TIMEOUT_MILLIS = 10_000;
    private static final int DIAL_MILLIS = 250;
    private static final int QUIET_MILLIS = 100;

    private final WakeConfig config;
    private final VmEngines engines;
    private final RouteDirectory routes;
    private final ServerSocket listener;
    private final Semaphore held;
    private final Map<String, CompletableFuture<String>> wakes = new ConcurrentHashMap<>();
    private final ExecutorService connections = Executors.newVirtualThreadPerTaskExecutor();
    private volatile boolean closed;

    private Waker(WakeConfig config, VmEngines engines, RouteDirectory routes, ServerSocket listener) {
        this.config = config;
        this.engines = engines;
        this.routes = routes;
        this.listener = listener;
        this.held = new Semaphore(config.maxHeld());
    }

    /** Listens on {@code ingress.wake.host:port} (port 0: any free one) and serves until closed. */
    public static Waker start(WakeConfig config, VmEngines engines, RouteDirectory routes) {
        try {
            ServerSocket listener = new ServerSocket();
            listener.bind(new InetSocketAddress(InetAddress.getByName(config.wakeHost()), config.wakePort()), 512);
            Waker waker = new Waker(config, engines, routes, listener);
            Thread.ofPlatform().daemon().name("ingress-waker").start(waker::acceptForever);
            return waker;
        } catch (IOException e) {
            throw new IllegalStateException("the waker cannot listen on " + config.wakeHost() + ":" + config.wakePort()
                    + ": " + e.getMessage(), e);
        }
    }

    public int port() {
        return listener.getLocalPort();
    }

    private void acceptForever() {
        while (!closed) {
            try {
                Socket client = listener.accept();
                connections.submit(() -> serve(client));
            } catch (IOException e) {
                if (!closed) {
                    LOGGER.log(Level.WARNING, "waker accept failed", e);
                }
            }
        }
    }

    private void serve(Socket client) {
        long arrived = System.nanoTime();
        try (client) {
            client.setSoTimeout(HEAD_TIMEOUT_MILLIS);
            Optional<HttpHead> head;
            String host;
            try {
                head = HttpHead.read(client.getInputStream());
                if (head.isEmpty()) {
                    return;
                }
                host = head.get().requestHost();
            } catch (HttpHead.Malformed e) {
                WakeMetrics.HELD.increment("bad_request");
                Relay.answer(client, 400, "wip: bad request (" + e.getMessage() + ")");
                return;
            }
            Optional<HostRoute> route = routes.route(host);
            if (route.isEmpty()) {
                WakeMetrics.HELD.increment("unknown_host");
                Relay.answer(client, 404, "wip: no route for " + host);
                return;
            }
            if (!held.tryAcquire()) {
                WakeMetrics.HELD.increment("too_many");
                Relay.answer(client, 503, "wip: too many requests are waiting for their apps to wake; retry in a moment");
                return;
            }
            WakeMetrics.HELD_NOW.incrementAndGet();
            try {
                hold(client, head.get(), host, route.get(), arrived);
            } finally {
                WakeMetrics.HELD_NOW.decrementAndGet();
                held.release();
            }
        } catch (IOException e) {
            LOGGER.log(Level.FINE, "waker connection ended", e);
        }
    }

    /** Wakes what needs waking, waits for the app, relays; or answers why not. */
    private void hold(Socket client, HttpHead head, String host, HostRoute route, long arrived) throws IOException {
        // a frozen app's port accepts and then answers nothing until its engine wakes
        Optional<Socket> app = routes.frozen(route.tenantId()) ? Optional.empty()
                : dial(route, System.nanoTime(), false);
        if (app.isEmpty()) {
            try {
                wake(route.tenantId(), host);
            } catch (WakeFailure e) {
                WakeMetrics.HELD.increment(e.outcome);
                Relay.answer(client, e.status, e.getMessage());
                return;
            }
            Optional<HostRoute> woken = routes.route(host);
            if (woken.isEmpty() || !woken.get().tenantId().equals(route.tenantId())) {
                WakeMetrics.HELD.increment("failed");
                Relay.answer(client, 502, "wip: no running container serves " + host);
                return;
            }
            app = dial(woken.get(), System.nanoTime() + config.acceptTimeout().toNanos(), true);
            if (app.isEmpty()) {
                WakeMetrics.HELD.increment("timeout");
                Relay.answer(client, 504, "wip: " + host + " woke up but its app did not accept a connection within "
                        + config.acceptTimeout().toSeconds() + " s; retry in a moment");
                return;
            }
            WakeMetrics.waited(Duration.ofNanos(System.nanoTime() - arrived));
        }
        WakeMetrics.HELD.increment("relayed");
        try (Socket upstream = app.get()) {
            client.setSoTimeout(0);
            Relay.exchange(client, head, upstream);
        }
    }

    /** Waits (until the deadline at most) until every upstream accepts a connection. */
    private static void awaitAccepting(List<String> upstreams, long deadline) {
        for (String upstream : upstreams) {
            dial(new HostRoute("", List.of(upstream)), deadline, true).ifPresent(Waker::closeQuietly);
        }
    }

    /**
     * Tries each upstream until one accepts or the deadline passes (a deadline in the past: one round).
     *
     * @param listening also require that the connection stays open for a moment: a just-started container's published
     *                  port may accept (Docker's userland proxy) and close at once while the app does not listen yet;
     *                  an app that listens waits quietly for the request
     */
    private static Optional<Socket> dial(HostRoute route, long deadline, boolean listening) {
        do {
            for (String upstream : route.upstreams()) {
                int colon = upstream.lastIndexOf(':');
                Socket socket = new Socket();
                try {
                    socket.connect(new InetSocketAddress(upstream.substring(0, colon),
                            Integer.parseInt(upstream.substring(colon + 1))), DIAL_MILLIS);
                    if (listening && !staysOpen(socket)) {
                        closeQuietly(socket);
                        continue;
                    }
                    return Optional.of(socket);
                } catch (IOException | RuntimeException e) {
                    closeQuietly(socket);
                }
            }
            if (System.nanoTime() < deadline) {
                sleep(50);
            }
        } while (System.nanoTime() < deadline);
        return Optional.empty();
    }

    private static boolean staysOpen(Socket socket) throws IOException {
        socket.setSoTimeout(QUIET_MILLIS);
        try {
            // nothing was sent: an HTTP app answers nothing yet, a proxy without its app closes (or resets)
            socket.getInputStream().read();
            return false;
        } catch (java.net.SocketTimeoutException e) {
            socket.setSoTimeout(0);
            return true;
        }
    }

    /** One wake per tenant at a time: the first held request runs it, the others wait for its outcome. */
    private void wake(String tenantId, String host) throws WakeFailure {
        CompletableFuture<String> mine = new CompletableFuture<>();
        CompletableFuture<String> running = wakes.putIfAbsent(tenantId, mine);
        if (running == null) {
            try {
                String outcome = wakeOnce(tenantId, host);
                WakeMetrics.WAKES.increment(outcome);
                mine.complete(outcome);
            } catch (WakeFailure e) {
                WakeMetrics.WAKES.increment(e.outcome);
                mine.completeExceptionally(e);
                throw e;
            } catch (RuntimeException e) {
                WakeMetrics.WAKES.increment("failed");
                LOGGER.log(Level.WARNING, "wake of tenant " + tenantId + " failed", e);
                WakeFailure failure = WakeFailure.failed(host);
                mine.completeExceptionally(failure);
                throw failure;
            } finally {
                wakes.remove(tenantId, mine);
            }
            return;
        }
        try {
            // the running wake waits for vm-service, then for the apps to accept
            running.get(config.ensureTimeout().plus(config.acceptTimeout()).plusSeconds(5).toMillis(),
                    TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof WakeFailure failure ? failure : WakeFailure.failed(host);
        } catch (TimeoutException e) {
            throw new WakeFailure(504, "timeout", "wip: " + host + " is still waking up; retry in a moment");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw WakeFailure.failed(host);
        }
    }

    /**
     * Wakes only what sleeps: an engine stopped on purpose (or never started, or deleted) stays as it is, whoever
     * sends HTTP requests to its old routes.
     *
     * @return the outcome for the metric: woken, or awake (it was running: its routes are re-read)
     */
    private String wakeOnce(String tenantId, String host) throws WakeFailure {
        TenantRecord record;
        try {
            record = engines.record(tenantId);
        } catch (StatusRuntimeException e) {
            LOGGER.log(Level.WARNING, "vm-service status of tenant " + tenantId + " failed", e);
            throw WakeFailure.failed(host);
        }
        State state = record.getState();
        if (state != State.STATE_RUNNING && !VmEngines.sleeps(record)) {
            throw new WakeFailure(503, "refused", "wip: " + host + " is not running");
        }
        if (state == State.STATE_RUNNING) {
            routes.resync(tenantId, record.getEndpoint(), false);
            return "awake";
        }
        EnsureEndpointResponse woken;
        try {
            woken = engines.wake(tenantId, record.getPlan());
        } catch (StatusRuntimeException e) {
            LOGGER.log(Level.WARNING, "vm-service could not wake tenant " + tenantId, e);
            throw WakeFailure.failed(host);
        }
        LOGGER.info(() -> "woke tenant " + tenantId + " for an HTTP request; started again: "
                + woken.getRestartedContainersList());
        // the route backend stays on the waker until the apps accept: it would lose the body of a request it sent
        // to an app that is not listening yet (Caddy 2.6), the waker holds it instead
        List<String> upstreams = routes.resync(tenantId, woken.getEndpoint(), true);
        try {
            awaitAccepting(upstreams, System.nanoTime() + config.acceptTimeout().toNanos());
        } finally {
            routes.resync(tenantId, woken.getEndpoint(), false);
        }
        return "woken";
    }

    /** Why a held request is answered instead of relayed: status, metric outcome, and words for people. */
    static final class WakeFailure extends Exception {
        final int status;
        final String outcome;

        WakeFailure(int status, String outcome, String message) {
            super(message, null, false, false);
            this.status = status;
            this.outcome = outcome;
        }

        static WakeFailure failed(String host) {
            return new WakeFailure(503, "failed", "wip: " + host + " is asleep and could not be woken just now; "
                    + "retry in a moment");
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing was sent on it
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            listener.close();
        } catch (IOException ignored) {
            // closing
        }
        connections.shutdownNow();
    }
}
