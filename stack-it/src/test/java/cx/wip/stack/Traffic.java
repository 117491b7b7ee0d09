package cx.wip.stack;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import cx.wip.stack.ReplicatedSuite.Replica;
import cx.wip.testing.Run;

/**
 * Steady traffic while replicas die, of two kinds.
 * <ul>
 *     <li>Docker API: one client per tenant lists its containers in a loop, spread round-robin over the gateways the
 *     way a TCP load balancer spreads connections. Like such a balancer (passive health check) the client takes a
 *     gateway out after a failed request, and like the docker CLI's user it retries that request once, on the next
 *     gateway. Counted: attempts that failed (and where), and requests that failed even after their retry.</li>
 *     <li>Public HTTPS: {@code curl} GETs each tenant route through Caddy ({@code --resolve}, Caddy's root as CA) and
 *     expects the route's own page. No retry: Caddy stays up, so every such request must succeed.</li>
 * </ul>
 */
final class Traffic implements AutoCloseable {
    private final ReplicatedSuite suite;
    private final List<Thread> loops;
    private final Set<Replica> down = ConcurrentHashMap.newKeySet();
    private final Map<String, AtomicInteger> failedAttempts = new ConcurrentHashMap<>();
    private final AtomicInteger apiRequests = new AtomicInteger();
    private final AtomicInteger apiFailures = new AtomicInteger();
    private final AtomicInteger httpsRequests = new AtomicInteger();
    private final AtomicInteger httpsFailures = new AtomicInteger();
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicReference<String> lastFailure = new AtomicReference<>("none");
    private volatile boolean running = true;

    /** @param routes public host → the page its container serves */
    private Traffic(ReplicatedSuite suite, List<Tenant> tenants, Map<String, String> routes) {
        this.suite = suite;
        this.loops = new ArrayList<>();
        for (Tenant tenant : tenants) {
            loops.add(Thread.ofVirtual().start(() -> {
                while (running) {
                    api(tenant);
                }
            }));
        }
        loops.add(Thread.ofVirtual().start(() -> {
            while (running) {
                routes.forEach(this::https);
            }
        }));
    }

    static Traffic start(ReplicatedSuite suite, List<Tenant> tenants, Map<String, String> routes) {
        return new Traffic(suite, tenants, routes);
    }

    private void api(Tenant tenant) {
        apiRequests.incrementAndGet();
        String failure = null;
        for (int attempt = 0; attempt < 2; attempt++) {
            Replica gateway = nextGateway();
            failure = attempt(gateway, tenant);
            if (failure == null) {
                return;
            }
            failedAttempts.computeIfAbsent(gateway.process().name(), name -> new AtomicInteger()).incrementAndGet();
            down.add(gateway);
        }
        apiFailures.incrementAndGet();
        lastFailure.set("API " + tenant.slug() + ", retried: " + failure);
    }

    private Replica nextGateway() {
        List<Replica> live = suite.gateways.stream().filter(gateway -> !down.contains(gateway)).toList();
        return live.get(Math.floorMod(next.getAndIncrement(), live.size()));
    }

    /** @return null when the gateway answered 200, else what went wrong */
    private static String attempt(Replica gateway, Tenant tenant) {
        try {
            int status = ScaleOutIT.list(gateway, tenant);
            return status == 200 ? null : gateway.process().name() + " answered " + status;
        } catch (Exception e) {
            return gateway.process().name() + ": " + e;
        }
    }

    private void https(String host, String page) {
        if (!running) {
            return;
        }
        httpsRequests.incrementAndGet();
        String failure;
        try {
            Run.Result result = ScaleOutIT.curl(suite, host);
            failure = result.exitCode() == 0 && result.out().equals(page) ? null
                    : "exit " + result.exitCode() + " " + result.out() + result.err();
        } catch (RuntimeException | AssertionError e) {
            failure = e.toString();
        }
        if (failure != null) {
            httpsFailures.incrementAndGet();
            lastFailure.set("HTTPS " + host + ": " + failure);
        }
    }

    /** Lets the survivors take over for {@code grace}, then watches for {@code window}. */
    Window observe(Duration grace, Duration window) throws InterruptedException {
        Thread.sleep(grace.toMillis());
        Window before = total();
        Thread.sleep(window.toMillis());
        Window after = total();
        return new Window(after.apiRequests() - before.apiRequests(), after.apiFailures() - before.apiFailures(),
                          after.httpsRequests() - before.httpsRequests(),
                          after.httpsFailures() - before.httpsFailures(), after.lastFailure());
    }

    /** Everything counted since the start. */
    Window total() {
        return new Window(apiRequests.get(), apiFailures.get(), httpsRequests.get(), httpsFailures.get(),
                          lastFailure.get());
    }

    /** Failed first attempts by gateway name (each was retried on another gateway). */
    Map<String, Integer> failedAttempts() {
        Map<String, Integer> copy = new TreeMap<>();
        failedAttempts.forEach((name, count) -> copy.put(name, count.get()));
        return copy;
    }

    /**
     * What was seen: API requests and those that failed even after their retry, HTTPS requests and their failures.
     */
    record Window(int apiRequests, int apiFailures, int httpsRequests, int httpsFailures, String lastFailure) {
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        for (Thread loop : loops) {
            loop.join(Duration.ofSeconds(30));
        }
    }
}
