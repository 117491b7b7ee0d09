package cx.wip.docker;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The few Engine API calls vm-service and ingress-service make, typed: ping, info, list, inspect, create/start/remove,
 * load, save, the event stream. Each call has a connection of its own and, except the event stream, is bounded by the
 * engine's timeout; answers are read within size limits (the daemon is the tenant's). Errors are
 * {@link DaemonError} with the daemon's own message, or {@link DaemonUnreachable}.
 */
public final class DockerEngine {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_JSON = 16 << 20;

    private final EngineCall calls;

    /** @param timeout bounds each call, connect to last byte */
    public DockerEngine(DaemonTransport transport, Duration timeout) {
        this.calls = new EngineCall(transport, timeout);
    }

    /** The engine at {@code address}, with client TLS for an {@code https://} one. */
    public static DockerEngine of(DaemonAddress address, Optional<DaemonTls> tls, Duration timeout) {
        return new DockerEngine(DaemonTransport.of(address, tls, timeout), timeout);
    }

    /** The engine at a {@code unix://} or plain {@code tcp://} address. */
    public static DockerEngine of(String address, Duration timeout) {
        return of(DaemonAddress.parse(address), Optional.empty(), timeout);
    }

    public DaemonAddress address() {
        return calls.address();
    }

    /** True when {@code GET /_ping} answers 200 in time; never throws. */
    public boolean ping() {
        try {
            calls.call("GET", "/_ping", null, (head, body) -> body.readNBytes(64));
            return true;
        } catch (DaemonException notAnswering) {
            return false;
        }
    }

    /** {@code GET /info}. */
    public JsonNode info() throws DaemonException {
        return json("GET", "/info", null);
    }

    /** {@code GET /containers/json}: running containers, or all; {@code filters} as the API takes them. */
    public List<JsonNode> containers(boolean all, Map<String, List<String>> filters) throws DaemonException {
        String target = "/containers/json?all=" + (all ? 1 : 0) + (filters.isEmpty() ? "" : "&filters=" + query(filters));
        JsonNode list = json("GET", target, null);
        if (!list.isArray()) {
            throw new DaemonUnreachable("daemon " + address() + " answered no container list", null);
        }
        List<JsonNode> containers = new ArrayList<>(list.size());
        list.forEach(containers::add);
        return containers;
    }

    /** {@code GET /containers/{id}/json}; empty when the daemon knows no such container. */
    public Optional<JsonNode> inspectContainer(String idOrName) throws DaemonException {
        try {
            return Optional.of(json("GET", "/containers/" + segment(idOrName) + "/json", null));
        } catch (DaemonError e) {
            if (e.status() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** {@code POST /containers/create} with the create body; returns the new container's id. */
    public String createContainer(String body) throws DaemonException {
        Upload json = Upload.of("application/json", body.getBytes(StandardCharsets.UTF_8));
        return json("POST", "/containers/create", json).path("Id").asText();
    }

    /** {@code POST /containers/{id}/start}; a container already running (304) is no error. */
    public void startContainer(String id) throws DaemonException {
        try {
            calls.call("POST", "/containers/" + segment(id) + "/start", null, (head, body) -> null);
        } catch (DaemonError e) {
            if (e.status() != 304) {
                throw e;
            }
        }
    }

    /** {@code DELETE /containers/{id}?force=1}: stops and removes it, with its anonymous volumes. */
    public void removeContainer(String id) throws DaemonException {
        calls.call("DELETE", "/containers/" + segment(id) + "?force=1&v=1", null, (head, body) -> null);
    }

    /** {@code POST /images/load} with an image tarball; an error the daemon reports inside its 200 is a {@link DaemonError}. */
    public void load(Path tarball) throws DaemonException {
        calls.call("POST", "/images/load?quiet=1", Upload.of("application/x-tar", tarball), (head, body) -> {
            JsonLines.each(body, line -> {
                if (line.hasNonNull("error")) {
                    throw new DaemonError(address(), head.status(), line.path("error").asText());
                }
            });
            return null;
        });
    }

    /** {@code GET /images/get?names=…}: writes the tarball of the images to {@code target}. */
    public void save(List<String> images, Path target) throws DaemonException {
        String names = images.stream().map(image -> "names=" + URLEncoder.encode(image, StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        calls.call("GET", "/images/get?" + names, null, (head, body) -> {
            try (OutputStream out = Files.newOutputStream(target)) {
                return body.transferTo(out);
            }
        });
    }

    /**
     * Follows {@code GET /events} until the daemon ends the stream or the calling thread is interrupted (a unix
     * socket, or any transport on a virtual thread, then closes). No timeout: a quiet daemon is not a dead one.
     *
     * @param onOpen  called once the daemon accepted the subscription: events after it are seen
     * @param onEvent called with each event
     */
    public void events(Map<String, List<String>> filters, Runnable onOpen, Consumer<JsonNode> onEvent)
            throws DaemonException {
        String target = "/events" + (filters.isEmpty() ? "" : "?filters=" + query(filters));
        calls.stream("GET", target, (head, body) -> {
            onOpen.run();
            JsonLines.each(body, onEvent::accept);
            return null;
        });
    }

    private JsonNode json(String method, String target, Upload upload) throws DaemonException {
        return calls.call(method, target, upload, (head, body) -> {
            byte[] bytes = body.readNBytes(MAX_JSON + 1);
            if (bytes.length > MAX_JSON) {
                throw new IOException("the answer to " + target + " is larger than " + MAX_JSON + " bytes");
            }
            return JSON.readTree(bytes);
        });
    }

    private static String segment(String idOrName) {
        return URLEncoder.encode(idOrName, StandardCharsets.UTF_8);
    }

    private static String query(Map<String, List<String>> filters) {
        try {
            return URLEncoder.encode(JSON.writeValueAsString(filters), StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** Reads a successful answer. */
    @FunctionalInterface
    interface Answer<T> {
        T read(ResponseHead head, InputStream body) throws IOException;
    }
}
