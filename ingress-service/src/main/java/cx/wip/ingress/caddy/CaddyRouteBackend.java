package cx.wip.ingress.caddy;

import cx.wip.ingress.BackendException;
import cx.wip.ingress.Route;
import cx.wip.ingress.RouteBackend;
import cx.wip.ingress.TenantKey;
import cx.wip.ingress.WakePath;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Routes as Caddy routes, one per {@code @id} ({@code wip_<tenant>_<host>}), inserted before the 404 fallback.
 * Each change is one admin call (Caddy reloads gracefully); unchanged routes are left alone.
 */
public final class CaddyRouteBackend implements RouteBackend {
    private final CaddyConfig config;
    private final CaddyAdmin admin;
    private final CaddyRoutes json;
    private final WakePath wake;
    private final ObjectMapper mapper = new ObjectMapper();

    private CaddyRouteBackend(CaddyConfig config, CaddyAdmin admin, WakePath wake) {
        this.config = config;
        this.admin = admin;
        this.wake = wake;
        this.json = new CaddyRoutes(mapper, wake);
    }

    /** Connects to Caddy and loads the base configuration when Caddy does not carry our server yet. */
    public static CaddyRouteBackend create(CaddyConfig config) {
        return create(config, WakePath.NONE);
    }

    /**
     * Like {@link #create(CaddyConfig)}, with the wake path: every route gets the waker as its fallback upstream, and
     * the server's access log goes to the hit log (added to a Caddy that carries our server without it).
     */
    public static CaddyRouteBackend create(CaddyConfig config, WakePath wake) {
        CaddyRouteBackend backend = new CaddyRouteBackend(config, new CaddyAdmin(config.admin()), wake);
        backend.ensureServer();
        return backend;
    }

    @Override
    public synchronized void apply(TenantKey tenant, Collection<Route> routes) {
        Map<String, JsonNode> current = new HashMap<>();
        for (JsonNode route : allRoutes()) {
            String id = route.path("@id").asText("");
            if (id.startsWith(tenant.routePrefix())) {
                current.put(id, route);
            }
        }
        for (Route route : routes) {
            String id = tenant.routeName(route.host());
            JsonNode existing = current.remove(id);
            ObjectNode desired = json.route(id, route);
            if (existing == null) {
                admin.send("PUT", routesPath() + "/0", desired.toString());
            } else if (!desired.equals(existing)) {
                admin.send("PATCH", "/id/" + id, desired.toString());
            }
        }
        for (String stale : current.keySet()) {
            admin.send("DELETE", "/id/" + stale, null);
        }
    }

    @Override
    public List<Route> routes(TenantKey tenant) {
        List<Route> routes = new ArrayList<>();
        for (JsonNode route : allRoutes()) {
            if (route.path("@id").asText("").startsWith(tenant.routePrefix())) {
                routes.add(json.parse(route));
            }
        }
        routes.sort(Comparator.comparing(Route::host));
        return routes;
    }

    @Override
    public List<TenantKey> tenants() {
        TreeSet<String> keys = new TreeSet<>();
        for (JsonNode route : allRoutes()) {
            TenantKey key = TenantKey.ofRouteName(route.path("@id").asText(""));
            if (key != null) {
                keys.add(key.value());
            }
        }
        return keys.stream().map(TenantKey::new).toList();
    }

    @Override
    public void close() {
        admin.close();
    }

    private void ensureServer() {
        CaddyAdmin.Reply reply = admin.get("/config/apps/http/servers/" + config.server());
        if (reply.status() != 200 || reply.body().isBlank() || "null".equals(reply.body().strip())) {
            CaddyAdmin.Reply current = admin.get("/config/admin");
            JsonNode adminSettings = null;
            if (current.status() == 200) {
                try {
                    adminSettings = mapper.readTree(current.body());
                } catch (Exception e) {
                    throw new BackendException("caddy: unreadable admin settings: " + e.getMessage(), e);
                }
            }
            admin.send("POST", "/load", CaddyBaseConfig.json(mapper, config, adminSettings, wake).toString());
        } else if (!wake.hitLog().isEmpty()) {
            ensureHitLog();
        }
    }

    /** A Caddy that carries our server from before the wake path: its access log is pointed at the hit log. */
    private void ensureHitLog() {
        String logsPath = "/config/apps/http/servers/" + config.server() + "/logs";
        CaddyAdmin.Reply logs = admin.get(logsPath);
        CaddyAdmin.Reply logging = admin.get("/config/logging");
        try {
            ObjectNode wanted = CaddyBaseConfig.logging(mapper, mapper.readTree(logging.status() == 200
                    ? logging.body() : "null"), wake);
            if (!wanted.equals(mapper.readTree(logging.body()))) {
                admin.send("POST", "/config/logging", wanted.toString());
            }
            if (logs.status() != 200 || !CaddyBaseConfig.serverLogs(mapper).equals(mapper.readTree(logs.body()))) {
                admin.send("POST", logsPath, CaddyBaseConfig.serverLogs(mapper).toString());
            }
        } catch (java.io.IOException e) {
            throw new BackendException("caddy: unreadable logging settings: " + e.getMessage(), e);
        }
    }

    /** Reads every route of our server; a Caddy that lost its config (restarted empty) gets the base config again. */
    private List<JsonNode> allRoutes() {
        CaddyAdmin.Reply reply = admin.get(routesPath());
        if (reply.status() != 200 || "null".equals(reply.body().strip())) {
            ensureServer();
            reply = admin.get(routesPath());
        }
        if (reply.status() != 200) {
            throw new BackendException("caddy: GET " + routesPath() + " answered " + reply.status() + " " + reply.body());
        }
        try {
            List<JsonNode> routes = new ArrayList<>();
            mapper.readTree(reply.body()).forEach(routes::add);
            return routes;
        } catch (Exception e) {
            throw new BackendException("caddy: unreadable routes: " + e.getMessage(), e);
        }
    }

    private String routesPath() {
        return "/config/apps/http/servers/" + config.server() + "/routes";
    }
}
