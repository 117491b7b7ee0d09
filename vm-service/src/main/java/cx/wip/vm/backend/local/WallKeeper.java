package cx.wip.vm.backend.local;

import java.io.IOException;
import java.nio.file.Files;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/**
 * Keeps the host-wide walls up while vm-service runs: the firewall is re-asserted every {@code walls-interval} and at
 * once when the host's dockerd (re)starts (its pid file changes: a starting dockerd puts its own chains first in
 * FORWARD), and the engine guard's socket is served again if whoever served it went away (checked every second).
 */
final class WallKeeper implements AutoCloseable {
    private static final Logger LOGGER = Logger.getLogger(WallKeeper.class.getName());
    private static final long TICK_MILLIS = 1000;
    /** dockerd writes its pid file before it sets up its chains: keep re-asserting every tick for a while after. */
    private static final long SETTLE_NANOS = TimeUnit.SECONDS.toNanos(20);

    private final ContainmentConfig config;
    private final HostNetwork network;
    private final EngineGuard guard;
    private final ScheduledExecutorService timer;
    private final AtomicLong reasserted = new AtomicLong();
    private volatile String hostDockerPid;
    private volatile long lastAssert = System.nanoTime();
    private volatile long settleUntil = System.nanoTime();

    /** {@code guard} may be null (no engine guard). */
    WallKeeper(ContainmentConfig config, HostNetwork network, EngineGuard guard) {
        this.config = config;
        this.network = network;
        this.guard = guard;
        this.hostDockerPid = hostDockerPid();
        this.timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("wall-keeper")
                                                                        .factory());
        timer.scheduleWithFixedDelay(this::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** How often the walls were re-asserted (for checks). */
    long reassertions() {
        return reasserted.get();
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void tick() {
        try {
            String pid = hostDockerPid();
            boolean hostDockerChanged = !pid.equals(hostDockerPid);
            long now = System.nanoTime();
            if (hostDockerChanged) {
                LOGGER.info(() -> "the host's dockerd changed (pid " + hostDockerPid + " -> " + pid
                                  + "): re-asserting the walls");
                settleUntil = now + SETTLE_NANOS;
            }
            if (hostDockerChanged || now < settleUntil || now - lastAssert >= config.wallsInterval().toNanos()) {
                hostDockerPid = pid;
                lastAssert = System.nanoTime();
                network.ensure();
                reasserted.incrementAndGet();
            }
            if (guard != null) {
                guard.ensureServing();
            }
        } catch (RuntimeException e) {
            LOGGER.warning(() -> "could not re-assert the walls: " + e.getMessage());
        }
    }

    private String hostDockerPid() {
        try {
            return Files.readString(config.hostDockerPidFile()).strip();
        } catch (IOException e) {
            return "";
        }
    }
}
