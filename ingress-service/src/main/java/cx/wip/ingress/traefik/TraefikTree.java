package cx.wip.ingress.traefik;

import cx.wip.ingress.Route;
import cx.wip.ingress.TenantKey;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The keys of Traefik's KV schema for a tenant's routes, and the way back from keys to routes. Router and service of a
 * route share its name {@code wip_<tenant>_<host with underscores>} (Traefik forbids {@code @}; dots would split the
 * name when Traefik decodes keys).
 */
final class TraefikTree {
    private final TraefikConfig config;

    TraefikTree(TraefikConfig config) {
        this.config = config;
    }

    String routersPrefix() {
        return config.rootKey() + "/http/routers/";
    }

    String servicesPrefix() {
        return config.rootKey() + "/http/services/";
    }

    /** @return the service keys of the routes, in order */
    Map<String, String> services(TenantKey tenant, List<Route> routes) {
        Map<String, String> keys = new TreeMap<>();
        for (Route route : routes) {
            String service = servicesPrefix() + tenant.routeName(route.host()) + "/loadbalancer/servers/";
            for (int i = 0; i < route.upstreams().size(); i++) {
                keys.put(service + i + "/url", "http://" + route.upstreams().get(i));
            }
        }
        return keys;
    }

    /** @return the router keys of the routes */
    Map<String, String> routers(TenantKey tenant, List<Route> routes) {
        Map<String, String> keys = new TreeMap<>();
        for (Route route : routes) {
            String name = tenant.routeName(route.host());
            String router = routersPrefix() + name + "/";
            keys.put(router + "rule", "Host(`" + route.host() + "`)");
            keys.put(router + "entrypoints/0", config.entryPoint());
            keys.put(router + "service", name);
            keys.put(router + "tls/certresolver", config.certResolver());
        }
        return keys;
    }

    /** Reads routes back from a tenant's keys (routers and services). */
    List<Route> routes(Map<String, String> keys) {
        Map<String, String> hosts = new TreeMap<>();
        Map<String, List<String>> upstreams = new TreeMap<>();
        keys.forEach((key, value) -> {
            if (key.startsWith(routersPrefix()) && key.endsWith("/rule")) {
                String name = key.substring(routersPrefix().length(), key.length() - "/rule".length());
                hosts.put(name, value.substring("Host(`".length(), value.length() - "`)".length()));
            } else if (key.startsWith(servicesPrefix()) && key.endsWith("/url")) {
                String name = key.substring(servicesPrefix().length(), key.indexOf('/', servicesPrefix().length()));
                upstreams.computeIfAbsent(name, n -> new ArrayList<>()).add(value.substring("http://".length()));
            }
        });
        List<Route> routes = new ArrayList<>();
        hosts.forEach((name, host) -> {
            List<String> servers = upstreams.get(name);
            if (servers != null) {
                routes.add(new Route(host, servers));
            }
        });
        routes.sort(Comparator.comparing(Route::host));
        return routes;
    }
}
