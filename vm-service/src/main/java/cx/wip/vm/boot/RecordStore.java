package cx.wip.vm.boot;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.lettuce.core.KeyValue;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.sync.RedisCommands;

import cx.wip.vm.spi.BootOutcome;
import cx.wip.vm.spi.DaemonEndpoint;

/**
 * Endpoint records in Redis. Every state write is fenced: it happens only while the writer's epoch is still the
 * tenant's current epoch (compare-and-set in Lua), and it publishes a change so waiters wake up.
 */
final class RecordStore {
    /** KEYS: epoch, record, tenants. ARGV: epoch, channel, boots increment, field, value, … */
    private static final String FENCED_WRITE = """
            if tonumber(redis.call('GET', KEYS[1]) or '0') ~= tonumber(ARGV[1]) then return 0 end
            redis.call('HSET', KEYS[2], unpack(ARGV, 4))
            if tonumber(ARGV[3]) > 0 then redis.call('HINCRBY', KEYS[2], 'boots', ARGV[3]) end
            redis.call('SADD', KEYS[3], KEYS[2])
            redis.call('PUBLISH', ARGV[2], ARGV[1])
            return 1
            """;
    /** KEYS: epoch, record, tenants, activity, http, session. ARGV: epoch, channel, tenant. */
    private static final String FENCED_DELETE = """
            if tonumber(redis.call('GET', KEYS[1]) or '0') ~= tonumber(ARGV[1]) then return 0 end
            redis.call('DEL', KEYS[2], KEYS[4], KEYS[5], KEYS[6])
            redis.call('SREM', KEYS[3], KEYS[2])
            redis.call('PUBLISH', ARGV[2], ARGV[1])
            return 1
            """;

    private final RedisCommands<String, String> redis;
    private final RedisKeys keys;

    RecordStore(RedisCommands<String, String> redis, RedisKeys keys) {
        this.redis = redis;
        this.keys = keys;
    }

    TenantRecord read(String tenant) {
        Map<String, String> hash = redis.hgetall(keys.record(tenant));
        List<KeyValue<String, String>> uses = redis.mget(keys.activity(tenant), keys.http(tenant),
                                                        keys.session(tenant));
        Optional<DaemonEndpoint> endpoint = Optional.ofNullable(hash.get("docker"))
                .filter(docker -> !docker.isEmpty())
                .map(docker -> new DaemonEndpoint(docker, hash.getOrDefault("public", ""),
                                                  Boolean.parseBoolean(hash.get("tls")), engineId(hash)));
        return new TenantRecord(tenant,
                                State.parse(hash.get("state")),
                                endpoint,
                                number(hash.get("epoch")),
                                number(hash.get("boots")),
                                number(uses.get(0).getValueOrElse(null)),
                                number(hash.get("updated")),
                                hash.getOrDefault("error", ""),
                                hash.getOrDefault("plan", ""),
                                number(hash.get("disk")),
                                engineId(hash),
                                number(uses.get(1).getValueOrElse(null)),
                                number(uses.get(2).getValueOrElse(null)),
                                hash.getOrDefault("asleep", "").isEmpty() ? List.of()
                                        : List.of(hash.get("asleep").split(",")),
                                "1".equals(hash.get("frozen")));
    }

    /** Records written before engine identities have no {@code engine} field: "" (the backend re-reads it). */
    private static String engineId(Map<String, String> hash) {
        return hash.getOrDefault("engine", "");
    }

    /** Whether the tenant is in a light sleep (one small read: this is asked on every activity report). */
    boolean frozen(String tenant) {
        List<KeyValue<String, String>> fields = redis.hmget(keys.record(tenant), "state", "frozen");
        return State.ASLEEP.name().equals(fields.get(0).getValueOrElse(null))
               && "1".equals(fields.get(1).getValueOrElse(null));
    }

    /** Tenants with a record. */
    Set<String> tenants() {
        Set<String> records = redis.smembers(keys.tenants());
        String recordPrefix = keys.record("");
        Set<String> tenants = new java.util.TreeSet<>();
        records.forEach(key -> tenants.add(key.substring(recordPrefix.length())));
        return tenants;
    }

    boolean starting(Lease lease, String plan) {
        return write(lease, 0, "state", State.STARTING.name(), "plan", plan, "error", "");
    }

    boolean running(Lease lease, BootOutcome outcome) {
        DaemonEndpoint endpoint = outcome.endpoint();
        return write(lease, outcome.booted() ? 1 : 0, "state", State.RUNNING.name(), "docker",
                     endpoint.dockerAddress(), "public", endpoint.publicAddress(), "tls",
                     Boolean.toString(endpoint.tls()), "engine", endpoint.engineId(), "disk",
                     Long.toString(outcome.diskBytes()), "error", "", "asleep", "", "frozen", "");
    }

    /**
     * Put to sleep with these containers running (written before they freeze or the engine stops, so readers see it
     * first); {@code frozen}: a light sleep, the engine still runs with its containers frozen.
     */
    boolean asleep(Lease lease, List<String> containers, boolean frozen) {
        return write(lease, 0, "state", State.ASLEEP.name(), "docker", "", "asleep", String.join(",", containers),
                     "frozen", frozen ? "1" : "");
    }

    boolean failed(Lease lease, String error) {
        return write(lease, 0, "state", State.FAILED.name(), "docker", "", "error", error);
    }

    boolean stopped(Lease lease) {
        return write(lease, 0, "state", State.STOPPED.name(), "docker", "", "frozen", "");
    }

    boolean delete(Lease lease) {
        String tenant = lease.tenant();
        Long done = redis.eval(FENCED_DELETE, ScriptOutputType.INTEGER,
                               new String[] {keys.epoch(tenant), keys.record(tenant), keys.tenants(),
                                             keys.activity(tenant), keys.http(tenant), keys.session(tenant)},
                               Long.toString(lease.epoch()), keys.changed(tenant), tenant);
        return done != null && done == 1;
    }

    void activity(String tenant, long millis) {
        redis.set(keys.activity(tenant), Long.toString(millis));
    }

    void http(String tenant, long millis) {
        redis.set(keys.http(tenant), Long.toString(millis));
    }

    void session(String tenant, long millis) {
        redis.set(keys.session(tenant), Long.toString(millis));
    }

    private boolean write(Lease lease, int bootsIncrement, String... fields) {
        String tenant = lease.tenant();
        List<String> args = new ArrayList<>(List.of(Long.toString(lease.epoch()), keys.changed(tenant),
                                                    Integer.toString(bootsIncrement)));
        args.addAll(List.of(fields));
        args.addAll(List.of("epoch", Long.toString(lease.epoch()),
                            "updated", Long.toString(System.currentTimeMillis())));
        Long done = redis.eval(FENCED_WRITE, ScriptOutputType.INTEGER,
                               new String[] {keys.epoch(tenant), keys.record(tenant), keys.tenants()},
                               args.toArray(String[]::new));
        return done != null && done == 1;
    }

    private static long number(String value) {
        if (value == null || value.isEmpty()) {
            return 0;
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
