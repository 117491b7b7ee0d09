package cx.wip.auth.store;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import cx.wip.auth.domain.CredentialKind;
import cx.wip.auth.domain.CredentialRecord;
import cx.wip.auth.domain.Store;
import cx.wip.auth.domain.TenantRecord;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SetArgs;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;

/**
 * Redis layout, every key under the configured prefix {@code P}:
 * <pre>
 * P tenant:{id}          hash  id slug plan created disabled
 * P slug:{slug}          string tenant id (SET NX: slugs are unique)
 * P tenants              zset  tenant ids by creation time
 * P cred:{id}            hash  id tenant kind label created revoked hash sha256 serial notAfter
 * P creds:{tenant}       zset  credential ids by issue time
 * P cert:{sha256}        string credential id
 * P crl                  set   revoked certificate serials (lowercase hex)
 * </pre>
 */
public final class RedisStore implements Store, AutoCloseable {
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(5);

    private final ClientResources resources;
    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;
    private final RedisCommands<String, String> redis;
    private final String prefix;

    private RedisStore(ClientResources resources, RedisClient client, String prefix) {
        this.resources = resources;
        this.client = client;
        this.connection = client.connect();
        this.redis = connection.sync();
        this.prefix = prefix;
    }

    /**
     * Connects to {@code uri} (e.g. {@code redis://127.0.0.1:6379}); fails fast when Redis does not answer. While
     * Redis is away later, commands fail at once (and after 5 s at most) instead of queueing: callers get
     * UNAVAILABLE, and the connection comes back by itself (reconnect attempts at most 2 s apart).
     */
    public static RedisStore connect(String uri, String prefix) {
        final RedisURI redisUri = RedisURI.create(uri);
        redisUri.setTimeout(COMMAND_TIMEOUT);
        final ClientResources resources = DefaultClientResources.builder()
                .reconnectDelay(Delay.exponential(Duration.ofMillis(100), Duration.ofSeconds(2), 2, TimeUnit.MILLISECONDS))
                .build();
        final RedisClient client = RedisClient.create(resources, redisUri);
        client.setOptions(ClientOptions.builder()
                                  .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                                  .timeoutOptions(TimeoutOptions.enabled(COMMAND_TIMEOUT))
                                  .build());
        try {
            return new RedisStore(resources, client, prefix);
        } catch (RedisException e) {
            client.shutdown();
            resources.shutdown();
            throw new IllegalStateException("auth-service cannot reach redis at " + uri + ": " + e.getMessage(), e);
        }
    }

    @Override
    public boolean insertTenant(TenantRecord tenant) {
        if (!"OK".equals(redis.set(prefix + "slug:" + tenant.slug(), tenant.id(), SetArgs.Builder.nx()))) {
            return false;
        }
        updateTenant(tenant);
        redis.zadd(prefix + "tenants", tenant.createdMillis(), tenant.id());
        return true;
    }

    @Override
    public Optional<TenantRecord> tenantById(String id) {
        final Map<String, String> h = redis.hgetall(prefix + "tenant:" + id);
        if (h.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new TenantRecord(h.get("id"), h.get("slug"), h.get("plan"), number(h, "created"),
                                            number(h, "disabled")));
    }

    @Override
    public Optional<String> tenantIdBySlug(String slug) {
        return Optional.ofNullable(redis.get(prefix + "slug:" + slug));
    }

    @Override
    public List<TenantRecord> tenants() {
        final List<TenantRecord> tenants = new ArrayList<>();
        for (String id : redis.zrange(prefix + "tenants", 0, -1)) {
            tenantById(id).ifPresent(tenants::add);
        }
        return tenants;
    }

    @Override
    public void updateTenant(TenantRecord tenant) {
        redis.hset(prefix + "tenant:" + tenant.id(), Map.of("id", tenant.id(), "slug", tenant.slug(),
                                                            "plan", tenant.plan(),
                                                            "created", Long.toString(tenant.createdMillis()),
                                                            "disabled", Long.toString(tenant.disabledMillis())));
    }

    @Override
    public void insertCredential(CredentialRecord c) {
        redis.hset(prefix + "cred:" + c.id(), fields(c));
        if (c.kind() == CredentialKind.CERTIFICATE) {
            redis.set(prefix + "cert:" + c.certificateSha256(), c.id());
        }
        redis.zadd(prefix + "creds:" + c.tenantId(), c.createdMillis(), c.id());
    }

    @Override
    public Optional<CredentialRecord> credential(String id) {
        final Map<String, String> h = redis.hgetall(prefix + "cred:" + id);
        if (h.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new CredentialRecord(h.get("id"), h.get("tenant"), CredentialKind.valueOf(h.get("kind")),
                                                h.get("label"), number(h, "created"), number(h, "revoked"),
                                                h.get("hash"), h.get("sha256"), h.get("serial"), number(h, "notAfter")));
    }

    @Override
    public Optional<String> credentialIdByCertificate(String sha256) {
        return Optional.ofNullable(redis.get(prefix + "cert:" + sha256));
    }

    @Override
    public List<CredentialRecord> credentials(String tenantId) {
        final List<CredentialRecord> credentials = new ArrayList<>();
        for (String id : redis.zrange(prefix + "creds:" + tenantId, 0, -1)) {
            credential(id).ifPresent(credentials::add);
        }
        return credentials;
    }

    @Override
    public void revokeCredential(CredentialRecord revoked) {
        if (!revoked.certificateSerial().isEmpty()) {
            redis.sadd(prefix + "crl", revoked.certificateSerial());
        }
        redis.hset(prefix + "cred:" + revoked.id(), "revoked", Long.toString(revoked.revokedMillis()));
    }

    @Override
    public boolean serialRevoked(String serial) {
        return redis.sismember(prefix + "crl", serial);
    }

    /** Whether Redis answers, for the health check. */
    public boolean ping() {
        try {
            return "PONG".equals(redis.ping());
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public void close() {
        connection.close();
        client.shutdown();
        resources.shutdown();
    }

    private static Map<String, String> fields(CredentialRecord c) {
        return Map.of("id", c.id(), "tenant", c.tenantId(), "kind", c.kind().name(), "label", c.label(),
                      "created", Long.toString(c.createdMillis()), "revoked", Long.toString(c.revokedMillis()),
                      "hash", c.tokenHash(), "sha256", c.certificateSha256(), "serial", c.certificateSerial(),
                      "notAfter", Long.toString(c.notAfterMillis()));
    }

    private static long number(Map<String, String> hash, String field) {
        final String value = hash.get(field);
        return value == null || value.isEmpty() ? 0 : Long.parseLong(value);
    }
}
