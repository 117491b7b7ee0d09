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
 * The Docker Engine API surface the gateway serves: every endpoint the docker CLI (20.10, 28.x), docker compose
 * (1.29, v2) and docker-py use. Anything not listed answers 404 and never reaches a daemon. Paths may carry a
 * {@code /v1.NN} prefix; it is forwarded as sent.
 */
final class DockerApi {
    private static final Pattern VERSION_SEGMENT = Pattern.compile("v\\d+(\\.\\d+)?");
    private static final String NOT_OFFERED = "wip: %s is not offered — each wip tenant gets its own Docker engine; "
            + "deploy with docker compose instead";

    private static final List<Route> ROUTES = List.of(
            // system
            of("GET HEAD", "/_ping", "ping"),
            of("GET", "/version", "version").redacted(VERSION),
            of("GET", "/info", "info").redacted(INFO),
            of("GET", "/events", "events").stream(),
            of("GET", "/system/df", "system.df").redacted(SYSTEM_DF),
            of("POST", "/auth", "auth"),
            // containers
            of("GET", "/containers/json", "containers.list"),
            of("POST", "/containers/create", "container.create").reviewed(CONTAINER_CREATE).lifecycle("create"),
            of("POST", "/containers/prune", "containers.prune").lifecycle("prune"),
            of("GET", "/containers/{id}/json", "container.inspect").redacted(CONTAINER_INSPECT),
            of("GET", "/containers/{id}/top", "container.top"),
            of("GET", "/containers/{id}/logs", "container.logs").stream(),
            of("GET", "/containers/{id}/changes", "container.changes"),
            of("GET", "/containers/{id}/export", "container.export").stream(),
            of("GET", "/containers/{id}/stats", "container.stats").stream(),
            of("POST", "/containers/{id}/resize", "container.resize"),
            of("POST", "/containers/{id}/start", "container.start").lifecycle("start"),
            of("POST", "/containers/{id}/stop", "container.stop").lifecycle("stop"),
            of("POST", "/containers/{id}/restart", "container.restart").lifecycle("restart"),
            of("POST", "/containers/{id}/kill", "container.kill").lifecycle("kill"),
            of("POST", "/containers/{id}/update", "container.update").reviewed(CONTAINER_UPDATE),
            of("POST", "/containers/{id}/rename", "container.rename").lifecycle("rename"),
            of("POST", "/containers/{id}/pause", "container.pause"),
            of("POST", "/containers/{id}/unpause", "container.unpause"),
            of("POST", "/containers/{id}/attach", "container.attach").hijack(),
            of("GET", "/containers/{id}/attach/ws", "container.attach.ws").hijack(),
            of("POST", "/containers/{id}/wait", "container.wait").stream(),
            of("DELETE", "/containers/{id}", "container.remove").lifecycle("remove"),
            of("HEAD GET PUT", "/containers/{id}/archive", "container.archive"),
            of("POST", "/containers/{id}/exec", "exec.create").reviewed(EXEC_CREATE),
            of("GET POST DELETE", "/containers/{id}/checkpoints", "checkpoints")
                    .refused(403, NOT_OFFERED.formatted("checkpoint/restore")),
            // exec
            of("POST", "/exec/{id}/start", "exec.start").hijack(),
            of("POST", "/exec/{id}/resize", "exec.resize"),
            of("GET", "/exec/{id}/json", "exec.inspect"),
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
            of("GET", "/networks/{id}", "network.inspect"),
            of("DELETE", "/networks/{id}", "network.remove"),
            of("POST", "/networks/{id}/connect", "network.connect").reviewed(NETWORK_CONNECT),
            of("POST", "/networks/{id}/disconnect", "network.disconnect"),
            // volumes
            of("GET", "/volumes", "volumes.list").redacted(VOLUME_LIST),
            of("POST", "/volumes/create", "volume.create").reviewed(VOLUME_CREATE),
            of("POST", "/volumes/prune", "volumes.prune"),
            of("GET", "/volumes/{name}", "volume.inspect").redacted(VOLUME_INSPECT),
            of("DELETE", "/volumes/{name}", "volume.remove"),
            of("PUT", "/volumes/{name}", "volume.update").refused(501, NOT_OFFERED.formatted("cluster volumes")),
            // not offered: swarm mode and plugins (plugins run with host privileges)
            swarm("/swarm"), swarm("/swarm/{op}"), swarm("/swarm/unlock/{op}"),
            swarm("/services"), swarm("/services/{id}"), swarm("/services/{id}/{op}"),
            swarm("/tasks"), swarm("/tasks/{id}"), swarm("/tasks/{id}/{op}"),
            swarm("/nodes"), swarm("/nodes/{id}"), swarm("/nodes/{id}/{op}"),
            swarm("/secrets"), swarm("/secrets/{id}"), swarm("/secrets/{id}/{op}"),
            swarm("/configs"), swarm("/configs/{id}"), swarm("/configs/{id}/{op}"),
            of("GET POST DELETE", "/plugins", "plugins").refused(403, NOT_OFFERED.formatted("Docker plugins")),
            // `docker inspect NAME` asks every object type in turn: a plugin lookup must be an ordinary "no such"
            of("GET", "/plugins/{name*}/json", "plugin.inspect").refused(404, "wip: no such plugin (Docker plugins "
                    + "are not offered)"),
            of("GET POST DELETE", "/plugins/{name*}", "plugins").refused(403, NOT_OFFERED.formatted("Docker plugins"))
    );

    private DockerApi() {
    }

    private static Route swarm(String path) {
        return of("GET POST DELETE", path, "swarm").refused(501, NOT_OFFERED.formatted("swarm mode"));
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
     * @return the route; 404 for unknown paths, 405 for known paths with another method
     */
    static Match match(String method, RequestTarget target) {
        List<String> decoded = target.segments();
        boolean versioned = decoded.size() > 1 && VERSION_SEGMENT.matcher(decoded.get(0)).matches();
        String[] segments = (versioned ? decoded.subList(1, decoded.size()) : decoded).toArray(String[]::new);
        boolean pathKnown = false;
        for (Route route : ROUTES) {
            var params = route.pattern().match(segments);
            if (params.isPresent()) {
                if (route.methods().contains(method)) {
                    return new Match(route, params.get(), target);
                }
                pathKnown = true;
            }
        }
        if (pathKnown) {
            throw new GatewayException(405, "wip: " + method + " is not supported on /" + String.join("/", segments));
        }
        throw new GatewayException(404, "page not found");
    }
}
