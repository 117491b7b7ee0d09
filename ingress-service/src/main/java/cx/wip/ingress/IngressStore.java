package cx.wip.ingress;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;

import java.io.IOException;
import java.net.URI;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * ingress-service's state in Redis, every key under one prefix: tenants it knows, the containers each tenant owns
 * (first reporter wins), which tenant holds each routed host, custom-domain claims and owners, the last applied routes.
 */
final class IngressStore implements AutoCloseable {
    private static final String DELETE_IF_EQUAL =
            "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String prefix;
    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;

    IngressStore(String redisUri, String prefix) {
        this.prefix = prefix;
        this.client = RedisClient.create(redisUri);
        try {
            this.connection = client.connect();
        } catch (RedisException e) {
            client.shutdown();
            throw new BackendException("redis " + redisUri + " unreachable: " + e.getMessage(), e);
        }
    }

    void rememberTenant(TenantRef tenant) {
        call(redis -> {
            redis.hset(prefix + "tenant:" + tenant.id(), Map.of("slug", tenant.slug(), "daemon",
                    tenant.daemon().toString(), "public", tenant.publicAddress(), "dedicated",
                    String.valueOf(tenant.dedicated())));
            return redis.sadd(prefix + "tenants", tenant.id());
        });
    }

    Optional<TenantRef> tenant(String id) {
        Map<String, String> fields = call(redis -> redis.hgetall(prefix + "tenant:" + id));
        if (fields.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new TenantRef(id, fields.get("slug"), URI.create(fields.get("daemon")), fields.get("public"),
                Boolean.parseBoolean(fields.get("dedicated"))));
    }

    Set<String> tenantIds() {
        return call(redis -> redis.smembers(prefix + "tenants"));
    }

    void forgetTenant(String id) {
        call(redis -> {
            for (String container : redis.smembers(prefix + "containers:" + id)) {
                redis.eval(DELETE_IF_EQUAL, ScriptOutputType.INTEGER, new String[] {prefix + "owner:" + container}, id);
            }
            redis.del(prefix + "tenant:" + id, prefix + "containers:" + id, prefix + "routes:" + id);
            return redis.srem(prefix + "tenants", id);
        });
    }

    /** @return true when the container is (now) the tenant's; false when another tenant reported it first */
    boolean adopt(String tenantId, String containerId) {
        return call(redis -> {
            String key = prefix + "owner:" + containerId;
            if (!redis.setnx(key, tenantId) && !tenantId.equals(redis.get(key))) {
                return false;
            }
            redis.sadd(prefix + "containers:" + tenantId, containerId);
            return true;
        });
    }

    Set<String> containers(String tenantId) {
        return call(redis -> redis.smembers(prefix + "containers:" + tenantId));
    }

    Optional<String> ownerOf(String containerId) {
        return Optional.ofNullable(call(redis -> redis.get(prefix + "owner:" + containerId)));
    }

    void forget(String tenantId, String containerId) {
        call(redis -> {
            redis.srem(prefix + "containers:" + tenantId, containerId);
            return redis.eval(DELETE_IF_EQUAL, ScriptOutputType.INTEGER, new String[] {prefix + "owner:" + containerId},
                    tenantId);
        });
    }

    /** @return true when the host is free or already the tenant's (it is the tenant's afterwards) */
    boolean claimHost(String host, String tenantId) {
        return call(redis -> redis.setnx(prefix + "host:" + host, tenantId)
                || tenantId.equals(redis.get(prefix + "host:" + host)));
    }

    boolean hostFree(String host, String tenantId) {
        String owner = call(redis -> redis.get(prefix + "host:" + host));
        return owner == null || owner.equals(tenantId);
    }

    Optional<String> hostOwner(String host) {
        return Optional.ofNullable(call(redis -> redis.get(prefix + "host:" + host)));
    }

    void releaseHost(String host, String tenantId) {
        call(redis -> redis.eval(DELETE_IF_EQUAL, ScriptOutputType.INTEGER, new String[] {prefix + "host:" + host},
                tenantId));
    }

    /** The tenant's engine fell into a light sleep (its apps frozen): its routes lead to the waker until it wakes. */
    void sleeping(String tenantId, boolean sleeping) {
        call(redis -> sleeping ? redis.sadd(prefix + "sleeping", tenantId) : redis.srem(prefix + "sleeping", tenantId));
    }

    boolean sleeping(String tenantId) {
        return call(redis -> redis.sismember(prefix + "sleeping", tenantId));
    }

    void saveRoutes(String tenantId, List<Binding> bindings) {
        try {
            String json = MAPPER.writeValueAsString(bindings);
            call(redis -> redis.set(prefix + "routes:" + tenantId, json));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    List<Binding> routes(String tenantId) {
        String json = call(redis -> redis.get(prefix + "routes:" + tenantId));
        try {
            return json == null ? List.of() : MAPPER.readValue(json, new TypeReference<List<Binding>>() { });
        } catch (IOException e) {
            throw new BackendException("unreadable routes of tenant " + tenantId, e);
        }
    }

    /** @return the tenant's proof token for the domain, created on first use and stable afterwards */
    String domainToken(String domain, String tenantId) {
        String key = prefix + "claim:" + domain + ":" + tenantId;
        return call(redis -> {
            redis.setnx(key, "wip-verify-" + HexFormat.of().formatHex(randomBytes()));
            return redis.get(key);
        });
    }

    Optional<String> domainOwner(String domain) {
        return Optional.ofNullable(call(redis -> redis.get(prefix + "domain:" + domain)));
    }

    /** @return true when the domain is (now) the tenant's; false when another tenant verified it first */
    boolean ownDomain(String domain, String tenantId) {
        return call(redis -> redis.setnx(prefix + "domain:" + domain, tenantId)
                || tenantId.equals(redis.get(prefix + "domain:" + domain)));
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[12];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    private <T> T call(Function<RedisCommands<String, String>, T> command) {
        try {
            return command.apply(connection.sync());
        } catch (RedisException e) {
            throw new BackendException("redis: " + e.getMessage(), e);
        }
    }

    /** Whether Redis answers within a second (readiness; never waits out the command timeout). */
    boolean ping() {
        try {
            return "PONG".equals(connection.async().ping().get(1, java.util.concurrent.TimeUnit.SECONDS));
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException | RedisException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void close() {
        connection.close();
        client.shutdown();
    }
}
