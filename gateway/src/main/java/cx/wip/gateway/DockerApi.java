package cx.wip.gateway;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static cx.wip.gateway.Route.of;
import static cx.wip.gateway.review.Operation.BUILD;
import static cx.wip.gateway.review.Operation.CONTAINER_CREATE;
import static cx.wip.gateway.review.Operation.CONTAINER_UPDATE;
import static cx.wip.gateway.review.Operation.EXEC_CREATE;
import static cx.wip.gateway.review.Operation.IMAGE_PULL;
import static cx.wip.gateway.review.Operation.NETWORK_CONNECT;
import static cx.wip.gateway.review.Operation.NETWORK_CREATE;
import static cx.wip.gateway.review.Operation.VOLUME_CREATE;
import static cx.wip.gateway.review.RedactedKind.CONTAINER_INSPECT;
import static cx.wip.gateway.review.RedactedKind.IMAGE_INSPECT;
import static cx.wip.gateway.review.RedactedKind.INFO;
import static cx.wip.gateway.review.RedactedKind.SYSTEM_DF;
import static cx.wip.gateway.review.RedactedKind.VERSION;
import static cx.wip.gateway.review.RedactedKind.VOLUME_INSPECT;
import static cx.wip.gateway.review.RedactedKind.VOLUME_LIST;

/**
 * The Docker Engine API surface the gateway serves: every endpoint of the engine's router (moby 20.10, API 1.41) —
 * each one forwarded to the tenant's own engine, reviewed first, or refused with a reason. Paths may carry a
 * {@code /v1.NN} prefix; it is forwarded as sent. A path the engine does not route answers the engine's own
 * {@code 404 page not found} (also for a known path with another method, as gorilla/mux answers) and never reaches a
 * daemon.
 * <p>
 * Order matters where two patterns match one path, as in the engine's router: the first match wins.
 */
final class DockerApi {
    private static final Pattern VERSION_SEGMENT = Pattern.compile("v\\d+(\\.\\d+)?");
    private static final String NOT_OFFERED = "wip: %s is not offered — each wip tenant gets its own Docker engine; "
            + "deploy with docker compose instead";
    /**
     * A swarm manager would run services whose specs (binds, capabilities, networks) no policy reviews, and a swarm
     * member talks to other machines: a tenant's engine never joins one. 503 is what every other swarm call answers
     * on an engine outside a swarm, and what the clients already print well.
     */
    private static final String SWARM_REFUSED = "wip: swarm mode is not offered — each tenant has its own engine; "
            + "deploy with docker compose";
    /** Any method on any path: the engine answers OPTIONS itself (an empty 200, for CORS preflights). */
    private static final Route OPTIONS = of("OPTIONS", "/{path*}", "options");

    private static final List<Route> ROUTES = List.of(
            // system
            of("GET HEAD", "/_ping", "ping"),
            of("GET", "/version", "version").redacted(VERSION),
            of("GET", "/info", "info").redacted(INFO),
            of("GET", "/events", "events").stream(),
            of("GET", "/system/df", "system.df").redacted(SYSTEM_DF),
            of("POST", "/auth", "auth"),
            // containers: names may hold slashes (a link is /containers/{parent}/{link}), as the engine's {name:.*}
            of("GET", "/containers/json", "containers.list"),
            of("POST", "/containers/create", "container.create").reviewed(CONTAINER_CREATE).lifecycle("create"),
            of("POST", "/containers/prune", "containers.prune").lifecycle("prune"),
            // CRIU writes and deletes checkpoints under a directory the request names: a host path
            of("GET POST", "/containers/{id*}/checkpoints", "checkpoints")
                    .refused(501, NOT_OFFERED.formatted("checkpoint/restore")),
            of("DELETE", "/containers/{id}/checkpoints/{checkpoint}", "checkpoints")
                    .refused(501, NOT_OFFERED.formatted("checkpoint/restore")),
            of("GET", "/containers/{id*}/json", "container.inspect").redacted(CONTAINER_INSPECT),
            of("GET", "/containers/{id*}/top", "container.top"),
            of("GET", "/containers/{id*}/logs", "container.logs").stream(),
            of("GET", "/containers/{id*}/changes", "container.changes"),
            of("GET", "/containers/{id*}/export", "container.export").stream(),
            of("GET", "/containers/{id*}/stats", "container.stats").stream(),
            of("POST", "/containers/{id*}/resize", "container.resize"),
            of("POST", "/containers/{id*}/start", "container.start").lifecycle("start"),
            of("POST", "/containers/{id*}/stop", "container.stop").lifecycle("stop"),
            of("POST", "/containers/{id*}/restart", "container.restart").lifecycle("restart"),
            of("POST", "/containers/{id*}/kill", "container.kill").lifecycle("kill"),
            of("POST", "/containers/{id*}/update", "container.update").reviewed(CONTAINER_UPDATE),
            of("POST", "/containers/{id*}/rename", "container.rename").lifecycle("rename"),
            of("POST", "/containers/{id*}/pause", "container.pause"),
            of("POST", "/containers/{id*}/unpause", "container.unpause"),
            of("POST", "/containers/{id*}/attach", "container.attach").hijack(),
            of("GET", "/containers/{id*}/attach/ws", "container.attach.ws").hijack(),
            of("POST", "/containers/{id*}/wait", "container.wait").stream(),
            of("POST", "/containers/{id*}/copy", "container.copy"),
            of("HEAD GET PUT", "/containers/{id*}/archive", "container.archive"),
            of("POST", "/containers/{id*}/exec", "exec.create").reviewed(EXEC_CREATE),
            of("DELETE", "/containers/{id*}", "container.remove").lifecycle("remove"),
            // exec
            of("POST", "/exec/{id*}/start", "exec.start").hijack(),
            of("POST", "/exec/{id*}/resize", "exec.resize"),
            of("GET", "/exec/{id*}/json", "exec.inspect"),
            // images and build
            of("GET", "/images/json", "images.list"),
            of("GET", "/images/search", "images.search"),
            of("POST", "/images/prune", "images.prune"),
            of("POST", "/images/create", "image.pull").reviewed(IMAGE_PULL).stream(),
            of("POST", "/images/load", "images.load").stream(),
            of("GET", "/images/get", "images.save").stream(),
            of("GET", "/images/{name*}/json", "image.inspect").redacted(IMAGE_INSPECT),
            of("GET", "/images/{name*}/history", "image.history"),
            of("POST", "/images/{name*}/push", "image.push").stream(),
            of("POST", "/images/{name*}/tag", "image.tag"),
            of("GET", "/images/{name*}/get", "image.save").stream(),
            of("DELETE", "/images/{name*}", "image.remove"),
            of("POST", "/commit", "image.commit"),
            of("POST", "/build", "build").reviewed(BUILD).stream(),
            of("POST", "/build/prune", "build.prune"),
            of("POST", "/build/cancel", "build.cancel"),
            of("POST", "/session", "session").hijack(),
            of("POST", "/grpc", "grpc").hijack(),
            of("GET", "/distribution/{name*}/json", "distribution.inspect"),
            // networks
            of("GET", "/networks", "networks.list"),
            of("POST", "/networks/create", "network.create").reviewed(NETWORK_CREATE),
            of("POST", "/networks/prune", "networks.prune"),
            of("POST", "/networks/{id*}/connect", "network.connect").reviewed(NETWORK_CONNECT),
            of("POST", "/networks/{id*}/disconnect", "network.disconnect"),
            of("GET", "/networks/{id*}", "network.inspect"),
            of("DELETE", "/networks/{id*}", "network.remove"),
            // volumes (PUT: cluster volumes, API 1.42+; a non-swarm engine refuses them itself)
            of("GET", "/volumes", "volumes.list").redacted(VOLUME_LIST),
            of("POST", "/volumes/create", "volume.create").reviewed(VOLUME_CREATE),
            of("POST", "/volumes/prune", "volumes.prune"),
            of("GET", "/volumes/{name*}", "volume.inspect").redacted(VOLUME_INSPECT),
            of("DELETE", "/volumes/{name*}", "volume.remove"),
            of("PUT", "/volumes/{name*}", "volume.update"),
            // swarm mode: a tenant's engine is never a swarm member (init and join are refused), so it answers every
            // other swarm call itself, exactly as any engine outside a swarm does (503 "not a swarm manager")
            of("POST", "/swarm/init", "swarm.init").refused(503, SWARM_REFUSED),
            of("POST", "/swarm/join", "swarm.join").refused(503, SWARM_REFUSED),
            of("GET", "/swarm", "swarm"),
            of("GET", "/swarm/unlockkey", "swarm"),
            of("POST", "/swarm/leave /swarm/update /swarm/unlock", "swarm"),
            of("GET", "/services", "swarm"),
            of("POST", "/services/create", "swarm"),
            of("GET DELETE", "/services/{id}", "swarm"),
            of("POST", "/services/{id}/update", "swarm"),
            of("GET", "/services/{id}/logs", "swarm.logs").stream(),
            of("GET", "/nodes", "swarm"),
            of("GET DELETE", "/nodes/{id}", "swarm"),
            of("POST", "/nodes/{id}/update", "swarm"),
            of("GET", "/tasks", "swarm"),
            of("GET", "/tasks/{id}", "swarm"),
            of("GET", "/tasks/{id}/logs", "swarm.logs").stream(),
            of("GET", "/secrets /configs", "swarm"),
            of("POST", "/secrets/create /configs/create", "swarm"),
            of("GET DELETE", "/secrets/{id} /configs/{id}", "swarm"),
            of("POST", "/secrets/{id}/update /configs/{id}/update", "swarm"),
            // plugins: reads and removal are the engine's (it has none: [] and "not found"); installing or changing
            // one is refused — a plugin runs as root with the host privileges it asks for
            of("GET", "/plugins", "plugins"),
            of("GET", "/plugins/privileges", "plugins.install")
                    .refused(403, NOT_OFFERED.formatted("installing Docker plugins")),
            of("POST", "/plugins/pull /plugins/create", "plugins.install")
                    .refused(403, NOT_OFFERED.formatted("installing Docker plugins")),
            of("GET", "/plugins/{name*}/json", "plugin.inspect"),
            of("POST", "/plugins/{name*}/disable", "plugin.disable"),
            of("POST", "/plugins/{name*}/enable /plugins/{name*}/push /plugins/{name*}/upgrade "
                    + "/plugins/{name*}/set", "plugins.install")
                    .refused(403, NOT_OFFERED.formatted("installing Docker plugins")),
            of("DELETE", "/plugins/{name*}", "plugin.remove")
    );

    private DockerApi() {
    }

    /** A matched route with its path parameters (decoded), and the target it was matched on — the one forwarded. */
    record Match(Route route, Map<String, String> params, RequestTarget target) {
    }

    /** Matches a path without query (tests, and callers that hold no client request). */
    static Match match(String method, String rawPath) {
        return match(method, RequestTarget.of(rawPath, null, false));
    }

    /**
     * @param method the request method
     * @param target the canonical request target, with or without {@code /v1.NN}
     * @return the route; 404 "page not found" (the engine's answer) for a path no route of this method serves
     */
    static Match match(String method, RequestTarget target) {
        List<String> decoded = target.segments();
        boolean versioned = decoded.size() > 1 && VERSION_SEGMENT.matcher(decoded.get(0)).matches();
        String[] segments = (versioned ? decoded.subList(1, decoded.size()) : decoded).toArray(String[]::new);
        for (Route route : ROUTES) {
            if (route.methods().contains(method)) {
                for (PathPattern pattern : route.patterns()) {
                    var params = pattern.match(segments);
                    if (params.isPresent()) {
                        return new Match(route, params.get(), target);
                    }
                }
            }
        }
        if ("OPTIONS".equals(method)) {
            return new Match(OPTIONS, Map.of(), target);
        }
        throw new GatewayException(404, "page not found");
    }
}
