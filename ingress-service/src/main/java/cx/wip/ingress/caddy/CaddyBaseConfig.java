package cx.wip.ingress.caddy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The whole Caddy configuration ingress-service loads into an empty Caddy: its admin settings unchanged, one HTTPS
 * server whose last route answers 404, and TLS automation whose certificates are issued on demand, gated by
 * ingress-service's {@code ask} endpoint.
 */
final class CaddyBaseConfig {
    static final String FALLBACK_ID = "wip-fallback";

    private CaddyBaseConfig() {
    }

    /**
     * @param admin Caddy's current admin settings (kept as they are: listener, allowed origins), or null to listen
     *              where ingress-service reaches it
     */
    static ObjectNode json(ObjectMapper mapper, CaddyConfig config, JsonNode admin) {
        ObjectNode root = mapper.createObjectNode();
        if (admin instanceof ObjectNode current && !current.isEmpty()) {
            root.set("admin", current);
        } else {
            root.putObject("admin").put("listen", config.admin().getHost() + ":" + config.admin().getPort());
        }
        ObjectNode apps = root.putObject("apps");
        ObjectNode server = apps.putObject("http").putObject("servers").putObject(config.server());
        server.putArray("listen").add(config.listen());
        if (!config.automaticHttps()) {
            server.putObject("automatic_https").put("disable", true);
        }
        server.putArray("tls_connection_policies").addObject();
        server.putArray("routes").add(fallback(mapper));
        ObjectNode automation = apps.putObject("tls").putObject("automation");
        ObjectNode policy = automation.putArray("policies").addObject();
        ObjectNode issuer = policy.putArray("issuers").addObject().put("module", config.issuer());
        if ("acme".equals(config.issuer()) && !config.acmeEmail().isBlank()) {
            issuer.put("email", config.acmeEmail());
        }
        policy.put("on_demand", true);
        automation.putObject("on_demand").put("ask", config.askUrl());
        apps.putObject("pki").putObject("certificate_authorities").putObject("local").put("install_trust", false);
        return root;
    }

    /** The last route: a host nobody routes gets a plain 404, not Caddy's empty 200. */
    private static ObjectNode fallback(ObjectMapper mapper) {
        ObjectNode route = mapper.createObjectNode().put("@id", FALLBACK_ID);
        ArrayNode handle = route.putArray("handle");
        handle.addObject().put("handler", "static_response").put("status_code", 404).put("body", "no route\n");
        route.put("terminal", true);
        return route;
    }
}
