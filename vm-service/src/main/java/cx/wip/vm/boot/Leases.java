package cx.wip.vm.boot;

import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.sync.RedisCommands;

/**
 * Per-tenant boot leases across replicas: {@code SET lease token NX PX ttl}, an {@code INCR}ed fencing epoch per
 * acquisition, renewal by compare-and-{@code PEXPIRE} every third of the TTL, release by compare-and-{@code DEL}.
 */
final class Leases {
    private static final Logger LOGGER = Logger.getLogger(Leases.class.getName());
    private static final String RENEW = """
            if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
            return 0
            """;
    private static final String RELEASE = """
            if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
            return 0
            """;

    private final RedisCommands<String, String> redis;
    private final RedisKeys keys;
    private final Duration ttl;
    private final ScheduledExecutorService scheduler;
    private final String owner = UUID.randomUUID().toString();

    Leases(RedisCommands<String, String> redis, RedisKeys keys, Duration ttl, ScheduledExecutorService scheduler) {
        this.redis = redis;
        this.keys = keys;
        this.ttl = ttl;
        this.scheduler = scheduler;
    }

    /** The lease when free now; empty when another holder has it. Never waits. */
    Optional<Lease> tryAcquire(String tenant) {
        String token = owner + ":" + UUID.randomUUID();
        String ok = redis.set(keys.lease(tenant), token, SetArgs.Builder.nx().px(ttl.toMillis()));
        if (!"OK".equals(ok)) {
            return Optional.empty();
        }
        long epoch = redis.incr(keys.epoch(tenant));
        Lease lease = new Lease(this, tenant, token, epoch);
        long period = Math.max(100, ttl.toMillis() / 3);
        lease.renewal(scheduler.scheduleAtFixedRate(() -> renew(lease), period, period, TimeUnit.MILLISECONDS));
        return Optional.of(lease);
    }

    /** Whether anyone holds the tenant's lease now. */
    boolean held(String tenant) {
        return redis.exists(keys.lease(tenant)) > 0;
    }

    void release(Lease lease) {
        try {
            redis.eval(RELEASE, ScriptOutputType.INTEGER, new String[] {keys.lease(lease.tenant())}, lease.token());
        } catch (RuntimeException e) {
            // it expires on its own after the TTL
            LOGGER.log(Level.WARNING, "could not release the lease of " + lease.tenant(), e);
        }
    }

    private void renew(Lease lease) {
        if (lease.lost()) {
            return;
        }
        try {
            Long renewed = redis.eval(RENEW, ScriptOutputType.INTEGER, new String[] {keys.lease(lease.tenant())},
                                      lease.token(), Long.toString(ttl.toMillis()));
            if (renewed == null || renewed != 1) {
                lease.markLost();
                LOGGER.warning(() -> "lost the boot lease of " + lease.tenant() + " (epoch " + lease.epoch() + ")");
            }
        } catch (RuntimeException e) {
            lease.markLost();
            LOGGER.log(Level.WARNING, "could not renew the lease of " + lease.tenant(), e);
        }
    }
}
