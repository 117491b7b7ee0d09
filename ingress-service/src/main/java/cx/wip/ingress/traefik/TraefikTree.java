package cx.wip.ingress.traefik;

import cx.wip.ingress.Route;
import cx.wip.ingress.TenantKey;
import cx.wip.ingress.WakePath;

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
    /** Suffixes of a route's two services under failover: hosts never hold two dots in a row, names never "__". */
    static final String MAIN = "__main";
    static final String WAKE = "__wake";

    private final TraefikConfig config;
    private final WakePath wake;

    TraefikTree(TraefikConfig config, WakePath wake) {
        this.config = config;
        this.wake = wake;
    }

    String routersPrefix() {
        return config.rootKey() + "/http/routers/";
    }

    String servicesPrefix() {
        return config.rootKey() + "/http/services/";
    }

    /**
     * @return the service keys of the routes, in order. With a wake path the router's service is a {@code failover}:
     * the containers ({@code <name>__main}, actively health-checked, since Traefik fails over only on a failed health
     * check) and, while they are down, the waker ({@code <name>__wake}). A route whose only upstream is the waker
     * (its tenant is asleep) is a plain service to it.
     */
    Map<String, String> services(TenantKey tenant, List<Route> routes) {
        Map<String, String> keys = new TreeMap<>();
        for (Route route : routes) {
            String name = tenant.routeName(route.host());
            if (!wake.enabled() || route.upstreams().equals(List.of(wake.waker()))) {
                servers(keys, name, route.upstreams());
                continue;
            }
            keys.put(servicesPrefix() + name + "/failover/service", name + MAIN);
            keys.put(servicesPrefix() + name + "/failover/fallback", name + WAKE);
            servers(keys, name + MAIN, route.upstreams());
            String check = servicesPrefix() + name + MAIN + "/loadbalancer/healthcheck/";
            keys.put(check + "path", "/");
            keys.put(check + "interval", "2s");
            keys.put(check + "timeout", "1s");
            servers(keys, name + WAKE, List.of(wake.waker()));
        }
        return keys;
    }

    private void servers(Map<String, String> keys, String service, List<String> upstreams) {
        for (int i = 0; i < upstreams.size(); i++) {
            keys.put(servicesPrefix() + service + "/loadbalancer/servers/" + i + "/url", "http://" + upstreams.get(i));
        }
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
                if (!name.endsWith(WAKE)) {
                    upstreams.computeIfAbsent(name.endsWith(MAIN) ? name.substring(0, name.length() - MAIN.length())
                            : name, n -> new ArrayList<>()).add(value.substring("http://".length()));
                }
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
