package cx.wip.stack;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import cx.wip.stack.ReplicatedSuite.Replica;

/**
 * Steady client traffic while replicas die: every live gateway lists each tenant's containers, in a loop. Counts
 * requests and failures per observation window.
 */
final class Traffic implements AutoCloseable {
    private final ReplicatedSuite suite;
    private final List<Tenant> tenants;
    private final Set<Replica> excluded = ConcurrentHashMap.newKeySet();
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger failures = new AtomicInteger();
    private final AtomicReference<String> lastFailure = new AtomicReference<>("none");
    private volatile boolean running = true;
    private final Thread loop;

    private Traffic(ReplicatedSuite suite, List<Tenant> tenants) {
        this.suite = suite;
        this.tenants = tenants;
        this.loop = Thread.ofVirtual().start(this::loop);
    }

    static Traffic start(ReplicatedSuite suite, List<Tenant> tenants) {
        return new Traffic(suite, tenants);
    }

    private void loop() {
        while (running) {
            for (Replica gateway : suite.gateways) {
                for (Tenant tenant : tenants) {
                    if (running && !excluded.contains(gateway)) {
                        record(gateway.process().name() + " " + tenant.slug(), () -> ScaleOutIT.list(gateway, tenant) == 200);
                    }
                }
            }
        }
    }

    private interface Check {
        boolean ok() throws Exception;
    }

    private void record(String what, Check check) {
        requests.incrementAndGet();
        try {
            if (!check.ok()) {
                fail(what + ": unexpected answer");
            }
        } catch (Exception e) {
            fail(what + ": " + e);
        }
    }

    private void fail(String message) {
        failures.incrementAndGet();
        lastFailure.set(message);
    }

    /** Clients of a killed gateway go elsewhere (a load balancer's job): its requests are not counted any more. */
    void exclude(Replica gateway) {
        excluded.add(gateway);
    }

    /** Lets the survivors take over for {@code grace}, then watches for {@code window}: failures and requests seen. */
    Window observe(Duration grace, Duration window) throws InterruptedException {
        Thread.sleep(grace.toMillis());
        int failedBefore = failures.get();
        int requestsBefore = requests.get();
        Thread.sleep(window.toMillis());
        return new Window(requests.get() - requestsBefore, failures.get() - failedBefore, lastFailure.get());
    }

    /** What one observation window saw. */
    record Window(int requests, int failures, String lastFailure) {
    }

    int failures() {
        return failures.get();
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        loop.join(Duration.ofSeconds(30));
    }
}
