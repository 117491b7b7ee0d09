package cx.wip.ingress.traefik;

import cx.wip.ingress.BackendException;
import cx.wip.ingress.Route;
import cx.wip.ingress.RouteBackend;
import cx.wip.ingress.TenantKey;
import cx.wip.ingress.WakePath;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Routes as Traefik's Redis KV tree. A change is one MULTI/EXEC batch that writes service keys before router keys and
 * deletes router keys before service keys, so Traefik (which re-reads the whole tree on every keyspace event) never
 * sees a router without its service. Only changed keys are written.
 */
public final class TraefikRouteBackend implements RouteBackend {
    private final TraefikTree tree;
    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;

    private TraefikRouteBackend(TraefikConfig config, RedisClient client, WakePath wake) {
        this.tree = new TraefikTree(config, wake);
        this.client = client;
        this.connection = client.connect();
    }

    public static TraefikRouteBackend create(TraefikConfig config) {
        return create(config, WakePath.NONE);
    }

    /** With a wake path: each route fails over to the waker while its containers fail their health check. */
    public static TraefikRouteBackend create(TraefikConfig config, WakePath wake) {
        try {
            return new TraefikRouteBackend(config, RedisClient.create(config.redisUri()), wake);
        } catch (RedisException e) {
            throw new BackendException("traefik redis " + config.redisUri() + " unreachable: " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void apply(TenantKey tenant, Collection<Route> routes) {
        List<Route> sorted = List.copyOf(routes);
        Map<String, String> services = tree.services(tenant, sorted);
        Map<String, String> routers = tree.routers(tenant, sorted);
        Map<String, String> current = keys(tenant);
        List<String> staleRouters = new ArrayList<>();
        List<String> staleServices = new ArrayList<>();
        for (String key : current.keySet()) {
            if (key.startsWith(tree.routersPrefix()) && !routers.containsKey(key)) {
                staleRouters.add(key);
            } else if (key.startsWith(tree.servicesPrefix()) && !services.containsKey(key)) {
                staleServices.add(key);
            }
        }
        Map<String, String> changedServices = changed(services, current);
        Map<String, String> changedRouters = changed(routers, current);
        if (changedServices.isEmpty() && changedRouters.isEmpty() && staleRouters.isEmpty() && staleServices.isEmpty()) {
            return;
        }
        try {
            RedisCommands<String, String> redis = connection.sync();
            redis.multi();
            if (!changedServices.isEmpty()) {
                redis.mset(changedServices);
            }
            if (!changedRouters.isEmpty()) {
                redis.mset(changedRouters);
            }
            if (!staleRouters.isEmpty()) {
                redis.del(staleRouters.toArray(String[]::new));
            }
            if (!staleServices.isEmpty()) {
                redis.del(staleServices.toArray(String[]::new));
            }
            if (redis.exec().wasDiscarded()) {
                throw new BackendException("traefik: batch for tenant " + tenant.value() + " was discarded");
            }
        } catch (RedisException e) {
            throw new BackendException("traefik redis: " + e.getMessage(), e);
        }
    }

    @Override
    public List<Route> routes(TenantKey tenant) {
        return tree.routes(keys(tenant));
    }

    @Override
    public List<TenantKey> tenants() {
        TreeSet<String> names = new TreeSet<>();
        for (String key : scan(tree.routersPrefix() + "wip_*")) {
            String name = key.substring(tree.routersPrefix().length(), key.indexOf('/', tree.routersPrefix().length()));
            TenantKey tenant = TenantKey.ofRouteName(name);
            if (tenant != null) {
                names.add(tenant.value());
            }
        }
        return names.stream().map(TenantKey::new).toList();
    }

    @Override
    public void close() {
        connection.close();
        client.shutdown();
    }

    /** @return every key (routers and services) of the tenant with its value */
    Map<String, String> keys(TenantKey tenant) {
        List<String> keys = new ArrayList<>(scan(tree.routersPrefix() + tenant.routePrefix() + "*"));
        keys.addAll(scan(tree.servicesPrefix() + tenant.routePrefix() + "*"));
        Map<String, String> values = new TreeMap<>();
        if (!keys.isEmpty()) {
            try {
                for (KeyValue<String, String> kv : connection.sync().mget(keys.toArray(String[]::new))) {
                    if (kv.hasValue()) {
                        values.put(kv.getKey(), kv.getValue());
                    }
                }
            } catch (RedisException e) {
                throw new BackendException("traefik redis: " + e.getMessage(), e);
            }
        }
        return values;
    }

    private List<String> scan(String pattern) {
        try {
            List<String> keys = new ArrayList<>();
            ScanArgs args = ScanArgs.Builder.matches(pattern).limit(500);
            KeyScanCursor<String> cursor = connection.sync().scan(ScanCursor.INITIAL, args);
            keys.addAll(cursor.getKeys());
            while (!cursor.isFinished()) {
                cursor = connection.sync().scan(cursor, args);
                keys.addAll(cursor.getKeys());
            }
            return keys;
        } catch (RedisException e) {
            throw new BackendException("traefik redis: " + e.getMessage(), e);
        }
    }

    private static Map<String, String> changed(Map<String, String> desired, Map<String, String> current) {
        Map<String, String> changed = new TreeMap<>();
        desired.forEach((key, value) -> {
            if (!value.equals(current.get(key))) {
                changed.put(key, value);
            }
        });
        return changed;
    }
}
