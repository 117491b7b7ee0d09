package cx.wip.vm.boot;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;

import cx.wip.vm.spi.HypervisorBackend;

/** The boot machinery of one vm-service instance: Redis connections, leases, change feed, idle reaper. */
public final class VmRuntime implements AutoCloseable {
    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;
    private final ChangeFeed feed;
    private final ScheduledExecutorService scheduler;
    private final BootCoordinator coordinator;
    private final HypervisorBackend backend;
    private final SleepNotice notice;

    private VmRuntime(RedisClient client, StatefulRedisConnection<String, String> connection, ChangeFeed feed,
                      ScheduledExecutorService scheduler, BootCoordinator coordinator, HypervisorBackend backend,
                      SleepNotice notice) {
        this.notice = notice;
        this.client = client;
        this.connection = connection;
        this.feed = feed;
        this.scheduler = scheduler;
        this.coordinator = coordinator;
        this.backend = backend;
    }

    /**
     * @param redisUri          e.g. {@code redis://127.0.0.1:6379}
     * @param keyPrefix         e.g. {@code wip:vm:}
     * @param backend           the hypervisor backend (closed with the runtime)
     * @param plans             plans
     * @param bootTimeout       how long one ensure may wait for others' boots before giving up
     * @param leaseTtl          boot lease TTL (renewed every third)
     * @param idleCheckInterval how often idle tenants are looked for
     */
    public static VmRuntime start(String redisUri, String keyPrefix, HypervisorBackend backend, PlanSource plans,
                                  Duration bootTimeout, Duration leaseTtl, Duration idleCheckInterval) {
        return start(redisUri, keyPrefix, backend, plans, bootTimeout, leaseTtl, idleCheckInterval, Pool.NONE);
    }

    /**
     * The warm pool: {@code size} spare engines made for plan {@code plan} (where the backend keeps spares).
     *
     * @param size spare engines kept ready (0 = none)
     * @param plan the plan they are made for: only tenants of a plan with the same disk size get one
     */
    public record Pool(int size, String plan) {
        public static final Pool NONE = new Pool(0, "");
    }

    /** As above, with a warm pool. */
    public static VmRuntime start(String redisUri, String keyPrefix, HypervisorBackend backend, PlanSource plans,
                                  Duration bootTimeout, Duration leaseTtl, Duration idleCheckInterval, Pool pool) {
        return start(redisUri, keyPrefix, backend, plans, bootTimeout, leaseTtl, idleCheckInterval, pool,
                     Duration.ZERO, SleepNotice.NONE);
    }

    /**
     * As above; {@code frozenFor}: how long an engine that fell asleep with running apps keeps them frozen (light
     * sleep, memory kept, wakes in milliseconds) before it stops (deep sleep); zero = it stops at once.
     * {@code notice}: asked before apps freeze (ingress moves their routes to its waker).
     */
    public static VmRuntime start(String redisUri, String keyPrefix, HypervisorBackend backend, PlanSource plans,
                                  Duration bootTimeout, Duration leaseTtl, Duration idleCheckInterval, Pool pool,
                                  Duration frozenFor, SleepNotice notice) {
        RedisClient client = RedisClient.create(redisUri);
        StatefulRedisConnection<String, String> connection = client.connect();
        RedisKeys keys = new RedisKeys(keyPrefix);
        ChangeFeed feed = new ChangeFeed(client.connectPubSub(), keys);
        ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2, Thread.ofPlatform()
                .daemon().name("vm-scheduler-", 0).factory());
        Leases leases = new Leases(connection.sync(), keys, leaseTtl, scheduler);
        RecordStore records = new RecordStore(connection.sync(), keys);
        BootCoordinator coordinator = new BootCoordinator(backend, records, leases, feed, plans, bootTimeout);
        long interval = idleCheckInterval.toMillis();
        scheduler.scheduleWithFixedDelay(new IdleReaper(coordinator, backend, records, leases, feed, plans,
                                                                frozenFor, notice),
                                         interval, interval, TimeUnit.MILLISECONDS);
        backend.spares().ifPresent(spares -> {
            EngineMetrics.pooled(spares::ready);
            if (pool.size() > 0) {
                scheduler.execute(new Runnable() {
                    @Override
                    public void run() {
                        try {
                            spares.keep(pool.size(), plans.plan(pool.plan()).spec("spare"));
                        } catch (RuntimeException e) {
                            // policy-service may not answer yet: plans are needed to size spares
                            Logger.getLogger(VmRuntime.class.getName()).warning(() -> "spare engines wait for plan "
                                    + pool.plan() + ": " + e.getMessage());
                            scheduler.schedule(this, 10, TimeUnit.SECONDS);
                        }
                    }
                });
            }
        });
        return new VmRuntime(client, connection, feed, scheduler, coordinator, backend, notice);
    }

    public BootCoordinator coordinator() {
        return coordinator;
    }

    /** Whether Redis answers (health). */
    public boolean redisUp() {
        try {
            return "PONG".equals(connection.sync().ping());
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Stops the reaper and closes Redis; running tenant daemons stay up (a restarted instance adopts them). */
    @Override
    public void close() {
        scheduler.shutdownNow();
        feed.close();
        connection.close();
        client.shutdown();
        backend.close();
        if (notice instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception ignored) {
                // a channel that does not close in time is dropped with the process
            }
        }
    }
}
