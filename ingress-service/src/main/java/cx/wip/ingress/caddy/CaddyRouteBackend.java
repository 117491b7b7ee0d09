package cx.wip.ingress.caddy;

import cx.wip.ingress.BackendException;
import cx.wip.ingress.Route;
import cx.wip.ingress.RouteBackend;
import cx.wip.ingress.TenantKey;

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
    private final ObjectMapper mapper = new ObjectMapper();

    private CaddyRouteBackend(CaddyConfig config, CaddyAdmin admin) {
        this.config = config;
        this.admin = admin;
    }

    /** Connects to Caddy and loads the base configuration when Caddy does not carry our server yet. */
    public static CaddyRouteBackend create(CaddyConfig config) {
        CaddyRouteBackend backend = new CaddyRouteBackend(config, new CaddyAdmin(config.admin()));
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
            if (existing == null) {
                admin.send("PUT", routesPath() + "/0", json(id, route));
            } else if (!route.equals(parse(existing))) {
                admin.send("PATCH", "/id/" + id, json(id, route));
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
                routes.add(parse(route));
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
            admin.send("POST", "/load", CaddyBaseConfig.json(mapper, config, adminSettings).toString());
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

    private String json(String id, Route route) {
        ObjectNode node = mapper.createObjectNode().put("@id", id);
        node.putArray("match").addObject().putArray("host").add(route.host());
        ObjectNode proxy = node.putArray("handle").addObject().put("handler", "reverse_proxy");
        var upstreams = proxy.putArray("upstreams");
        route.upstreams().forEach(upstream -> upstreams.addObject().put("dial", upstream));
        node.put("terminal", true);
        return node.toString();
    }

    private static Route parse(JsonNode route) {
        String host = route.path("match").path(0).path("host").path(0).asText();
        List<String> dials = new ArrayList<>();
        route.path("handle").path(0).path("upstreams").forEach(upstream -> dials.add(upstream.path("dial").asText()));
        return new Route(host, dials);
    }
}
