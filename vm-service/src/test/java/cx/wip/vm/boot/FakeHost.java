package cx.wip.vm.boot;

import java.util.List;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import cx.wip.vm.spi.BackendException;
import cx.wip.vm.spi.BootOutcome;
import cx.wip.vm.spi.DaemonEndpoint;
import cx.wip.vm.spi.HypervisorBackend;
import cx.wip.vm.spi.TenantSpec;

/**
 * An in-memory "host" of daemons for testing the boot coordination alone (the real backends have their own
 * contract tests): counts real boots, can be slow, can fail, can have a daemon die. Several {@link #backend()}s
 * share one host, as several vm-service processes share one machine or one Proxmox cluster.
 */
final class FakeHost {
    private final Map<String, DaemonEndpoint> running = new ConcurrentHashMap<>();
    private final Set<String> known = ConcurrentHashMap.newKeySet();
    private final Map<String, AtomicInteger> boots = new ConcurrentHashMap<>();
    private final AtomicInteger failuresLeft = new AtomicInteger();
    private final AtomicInteger concurrentBoots = new AtomicInteger();
    private final AtomicInteger maxConcurrentBoots = new AtomicInteger();
    private volatile Duration bootDelay = Duration.ZERO;
    private volatile boolean busy;
    private final List<String> started = new java.util.concurrent.CopyOnWriteArrayList<>();

    void bootDelay(Duration delay) {
        this.bootDelay = delay;
    }

    void failNextBoots(int count) {
        failuresLeft.set(count);
    }

    void busy(boolean busy) {
        this.busy = busy;
    }

    /** The containers started again on wakes, in order. */
    List<String> started() {
        return List.copyOf(started);
    }

    void kill(String tenant) {
        running.remove(tenant);
    }

    boolean isRunning(String tenant) {
        return running.containsKey(tenant);
    }

    int boots(String tenant) {
        return boots.getOrDefault(tenant, new AtomicInteger()).get();
    }

    int maxConcurrentBoots() {
        return maxConcurrentBoots.get();
    }

    HypervisorBackend backend() {
        return new HypervisorBackend() {
            @Override
            public BootOutcome ensureRunning(TenantSpec tenant) {
                DaemonEndpoint endpoint = new DaemonEndpoint("unix:///fake/" + tenant.id() + "/docker.sock",
                                                             "10.0.0." + (Math.abs(tenant.id().hashCode()) % 250),
                                                             false);
                if (running.containsKey(tenant.id())) {
                    return new BootOutcome(endpoint, false);
                }
                maxConcurrentBoots.accumulateAndGet(concurrentBoots.incrementAndGet(), Math::max);
                try {
                    Thread.sleep(bootDelay.toMillis());
                    if (failuresLeft.getAndUpdate(left -> Math.max(0, left - 1)) > 0) {
                        throw new BackendException("fake boot failure of " + tenant.id());
                    }
                    known.add(tenant.id());
                    boots.computeIfAbsent(tenant.id(), t -> new AtomicInteger()).incrementAndGet();
                    running.put(tenant.id(), endpoint);
                    return new BootOutcome(endpoint, true);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new BackendException("interrupted");
                } finally {
                    concurrentBoots.decrementAndGet();
                }
            }

            @Override
            public boolean answers(String tenantId, DaemonEndpoint endpoint) {
                return endpoint.equals(running.get(tenantId));
            }

            @Override
            public List<String> runningContainers(String tenantId) {
                return busy ? List.of("0123456789ab") : List.of();
            }

            @Override
            public List<String> startContainers(String tenantId, List<String> containerIds) {
                started.addAll(containerIds);
                return containerIds;
            }

            @Override
            public void stop(String tenantId) {
                running.remove(tenantId);
            }

            @Override
            public void delete(String tenantId) {
                running.remove(tenantId);
                known.remove(tenantId);
            }

            @Override
            public Set<String> tenants() {
                return Set.copyOf(known);
            }
        };
    }
}
