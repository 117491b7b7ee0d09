package cx.wip.ingress.caddy;

import cx.wip.ingress.WakePath;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The whole Caddy configuration ingress-service loads into an empty Caddy: its admin settings unchanged, one HTTPS
 * server whose last route answers 404, and TLS automation whose certificates are issued on demand, gated by
 * ingress-service's {@code ask} endpoint; with a hit log, the server's access log goes there.
 */
final class CaddyBaseConfig {
    static final String FALLBACK_ID = "wip-fallback";
    static final String HIT_LOGGER = "wiphits";

    private CaddyBaseConfig() {
    }

    /**
     * @param admin Caddy's current admin settings (kept as they are: listener, allowed origins), or null to listen
     *              where ingress-service reaches it
     */
    static ObjectNode json(ObjectMapper mapper, CaddyConfig config, JsonNode admin, WakePath wake) {
        ObjectNode root = mapper.createObjectNode();
        if (admin instanceof ObjectNode current && !current.isEmpty()) {
            root.set("admin", current);
        } else {
            root.putObject("admin").put("listen", config.admin().getHost() + ":" + config.admin().getPort());
        }
        if (!wake.hitLog().isEmpty()) {
            root.set("logging", logging(mapper, null, wake));
        }
        ObjectNode apps = root.putObject("apps");
        ObjectNode server = apps.putObject("http").putObject("servers").putObject(config.server());
        server.putArray("listen").add(config.listen());
        if (!config.automaticHttps()) {
            server.putObject("automatic_https").put("disable", true);
        }
        server.putArray("tls_connection_policies").addObject();
        if (!wake.hitLog().isEmpty()) {
            server.set("logs", serverLogs(mapper));
        }
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

    /**
     * Caddy's logging with the access log of our server written, as JSON lines, to the hit log over TCP (the
     * {@code net} writer; Caddy refuses a configuration whose hit log does not accept the connection, so
     * ingress-service listens before it loads one), and left out of Caddy's default log.
     *
     * @param current Caddy's logging settings now (other logs are kept), or null
     */
    static ObjectNode logging(ObjectMapper mapper, JsonNode current, WakePath wake) {
        ObjectNode logging = current instanceof ObjectNode node ? node.deepCopy() : mapper.createObjectNode();
        ObjectNode logs = logging.path("logs") instanceof ObjectNode existing ? existing : logging.putObject("logs");
        ObjectNode hits = logs.putObject(HIT_LOGGER);
        hits.putObject("writer").put("output", "net").put("address", wake.hitLog());
        hits.putObject("encoder").put("format", "json");
        hits.putArray("include").add("http.log.access." + HIT_LOGGER);
        ObjectNode standard = logs.path("default") instanceof ObjectNode existing ? existing
                : logs.putObject("default");
        ArrayNode exclude = standard.path("exclude") instanceof ArrayNode existing ? existing
                : standard.putArray("exclude");
        boolean excluded = false;
        for (JsonNode name : exclude) {
            excluded |= name.asText().equals("http.log.access." + HIT_LOGGER);
        }
        if (!excluded) {
            exclude.add("http.log.access." + HIT_LOGGER);
        }
        return logging;
    }

    /** Our server's access log setting: every request, whatever its host, to the hit logger. */
    static ObjectNode serverLogs(ObjectMapper mapper) {
        return mapper.createObjectNode().put("default_logger_name", HIT_LOGGER);
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
