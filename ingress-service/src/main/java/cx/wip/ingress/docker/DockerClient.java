package cx.wip.ingress.docker;

import cx.wip.ingress.BackendException;
import cx.wip.docker.DaemonTls;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/** The three daemon calls ingress-service makes: inspect a container, list labelled ones, follow container events. */
public final class DockerClient {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final URI daemon;
    private final Optional<DaemonTls> tls;

    /** @param tls client TLS for {@code https://} daemons; empty: plain {@code unix://} and {@code tcp://} only */
    public DockerClient(URI daemon, Optional<DaemonTls> tls) {
        this.daemon = daemon;
        this.tls = tls;
    }

    /** @return the container, or empty when the daemon does not know it (removed) */
    public Optional<ContainerState> inspect(String idOrName) {
        String path = "/containers/" + URLEncoder.encode(idOrName, StandardCharsets.UTF_8) + "/json";
        try (DockerHttp.Response response = DockerHttp.get(daemon, tls, path)) {
            String body = response.text();
            if (response.status() == 404) {
                return Optional.empty();
            }
            if (response.status() != 200) {
                throw new BackendException("daemon " + daemon + ": inspect " + idOrName + " answered "
                        + response.status() + " " + body.strip());
            }
            return Optional.of(state(MAPPER.readTree(body)));
        } catch (IOException e) {
            throw new BackendException("daemon " + daemon + " unreachable: " + e.getMessage(), e);
        }
    }

    /** @return ids of every container (running or not) that carries the label key */
    public List<String> withLabel(String key) {
        String filters = URLEncoder.encode("{\"label\":[\"" + key + "\"]}", StandardCharsets.UTF_8);
        try (DockerHttp.Response response = DockerHttp.get(daemon, tls, "/containers/json?all=1&filters=" + filters)) {
            String body = response.text();
            if (response.status() != 200) {
                throw new BackendException("daemon " + daemon + ": list answered " + response.status());
            }
            List<String> ids = new ArrayList<>();
            MAPPER.readTree(body).forEach(container -> ids.add(container.path("Id").asText()));
            return ids;
        } catch (IOException e) {
            throw new BackendException("daemon " + daemon + " unreachable: " + e.getMessage(), e);
        }
    }

    /**
     * Follows container events until the stream ends or the thread is interrupted (close the stream by interrupting).
     *
     * @param onOpen  called once the daemon accepted the subscription (events after it are seen)
     * @param onEvent called with (container id, action) for each container event
     */
    public void followContainerEvents(Runnable onOpen, Consumer<ContainerEvent> onEvent) throws IOException {
        String filters = URLEncoder.encode("{\"type\":[\"container\"]}", StandardCharsets.UTF_8);
        try (DockerHttp.Response response = DockerHttp.get(daemon, tls, "/events?filters=" + filters)) {
            if (response.status() != 200) {
                throw new IOException("daemon " + daemon + ": events answered " + response.status());
            }
            onOpen.run();
            BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8));
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (!line.isBlank()) {
                    JsonNode event = MAPPER.readTree(line);
                    onEvent.accept(new ContainerEvent(event.path("Actor").path("ID").asText(event.path("id").asText()),
                            event.path("Action").asText(event.path("status").asText())));
                }
            }
        }
    }

    /**
     * @param containerId full id
     * @param action      start, die, destroy, …
     */
    public record ContainerEvent(String containerId, String action) {
    }

    static ContainerState state(JsonNode inspect) {
        Map<String, String> labels = new HashMap<>();
        inspect.path("Config").path("Labels").properties().forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
        Map<Integer, Integer> published = new HashMap<>();
        inspect.path("NetworkSettings").path("Ports").properties().forEach(port -> {
            if (port.getKey().endsWith("/tcp")) {
                for (JsonNode binding : port.getValue()) {
                    if (!binding.path("HostIp").asText().contains(":")) {
                        published.putIfAbsent(Integer.parseInt(port.getKey().substring(0, port.getKey().indexOf('/'))),
                                Integer.parseInt(binding.path("HostPort").asText()));
                    }
                }
            }
        });
        String ip = inspect.path("NetworkSettings").path("IPAddress").asText("");
        for (JsonNode network : inspect.path("NetworkSettings").path("Networks")) {
            if (ip.isEmpty()) {
                ip = network.path("IPAddress").asText("");
            }
        }
        return new ContainerState(inspect.path("Id").asText(), inspect.path("Name").asText().replaceFirst("^/", ""),
                labels, inspect.path("State").path("Running").asBoolean(), published, ip);
    }
}
