package cx.wip.ingress.caddy;

import cx.wip.ingress.Route;
import cx.wip.ingress.WakePath;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;

/**
 * One route as Caddy JSON, and back. With a wake path, the waker is the last upstream of every route and is reached
 * only when the containers' upstreams cannot be dialled: {@code first} selection (round robin when a scaled service
 * has several containers: the waker then relays its share itself), a failed dial marks that upstream down for a
 * moment (passive health check) and the request is tried again on the next available one. Caddy 2.6 retries a request
 * whose body it already handed to the failed dial with the body closed (502 "invalid Read on closed Body", checked with
 * Debian's 2.6.2): so a route whose tenant is asleep has the waker as its only upstream, and the fallback covers the
 * moment between an engine falling asleep and ingress-service noticing (bodyless requests go through; a request with a
 * body in that moment gets a 502).
 */
final class CaddyRoutes {
    /** Caddy's default dial timeout is longer than a sleeping VM's silence needs: fail over sooner. */
    static final String DIAL_TIMEOUT = "2s";

    private final ObjectMapper mapper;
    private final WakePath wake;

    CaddyRoutes(ObjectMapper mapper, WakePath wake) {
        this.mapper = mapper;
        this.wake = wake;
    }

    ObjectNode route(String id, Route route) {
        ObjectNode node = mapper.createObjectNode().put("@id", id);
        node.putArray("match").addObject().putArray("host").add(route.host());
        ObjectNode proxy = node.putArray("handle").addObject().put("handler", "reverse_proxy");
        ArrayNode upstreams = proxy.putArray("upstreams");
        route.upstreams().forEach(upstream -> upstreams.addObject().put("dial", upstream));
        if (wake.enabled() && !route.upstreams().equals(List.of(wake.waker()))) {
            upstreams.addObject().put("dial", wake.waker());
            proxy.putObject("transport").put("protocol", "http").put("dial_timeout", DIAL_TIMEOUT);
            ObjectNode balancing = proxy.putObject("load_balancing");
            balancing.putObject("selection_policy").put("policy", route.upstreams().size() == 1 ? "first"
                    : "round_robin");
            balancing.put("try_duration", "5s").put("try_interval", "10ms");
            proxy.putObject("health_checks").putObject("passive").put("fail_duration", "2s").put("max_fails", 1);
        }
        node.put("terminal", true);
        return node;
    }

    /** @return the route as ingress-service applied it (the waker left out, unless it is the only upstream) */
    Route parse(JsonNode route) {
        String host = route.path("match").path(0).path("host").path(0).asText();
        List<String> dials = new ArrayList<>();
        route.path("handle").path(0).path("upstreams").forEach(upstream -> dials.add(upstream.path("dial").asText()));
        if (dials.size() > 1 && wake.enabled()) {
            dials.remove(wake.waker());
        }
        return new Route(host, dials);
    }
}
