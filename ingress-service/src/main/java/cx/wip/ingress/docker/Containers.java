package cx.wip.ingress.docker;

import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;

import cx.wip.docker.DaemonAddress;
import cx.wip.docker.DaemonException;
import cx.wip.docker.DaemonTls;
import cx.wip.docker.DockerEngine;
import cx.wip.ingress.BackendException;

/**
 * What ingress reads from a tenant's daemon, in its own terms: a container's {@link ContainerState}, the labelled
 * containers, the container events. The calls go through {@link DockerEngine}, the one way into a daemon.
 */
public final class Containers {
    /** A sync holds the tenant's lock while it reads: a daemon that stops answering must not hold it for ever. */
    public static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final DockerEngine daemon;

    public Containers(DockerEngine daemon) {
        this.daemon = daemon;
    }

    /** The daemon at {@code unix://}, {@code tcp://} or {@code https://} (read with {@code tls}'s client certificate). */
    public static Containers of(URI daemon, Optional<DaemonTls> tls) {
        try {
            return new Containers(DockerEngine.of(DaemonAddress.parse(daemon.toString()), tls, TIMEOUT));
        } catch (IllegalArgumentException e) {
            throw new BackendException(e.getMessage(), e);
        }
    }

    /** @return the container, or empty when the daemon does not know it (removed) */
    public Optional<ContainerState> inspect(String idOrName) {
        try {
            return daemon.inspectContainer(idOrName).map(Containers::state);
        } catch (DaemonException e) {
            throw new BackendException("inspect " + idOrName + ": " + e.getMessage(), e);
        }
    }

    /** @return ids of every container (running or not) that carries the label key */
    public List<String> withLabel(String key) {
        try {
            return daemon.containers(true, Map.of("label", List.of(key))).stream()
                    .map(container -> container.path("Id").asText()).toList();
        } catch (DaemonException e) {
            throw new BackendException("list: " + e.getMessage(), e);
        }
    }

    /**
     * Follows container events until the stream ends or the thread (a virtual one) is interrupted.
     *
     * @param onOpen  called once the daemon accepted the subscription (events after it are seen)
     * @param onEvent called with (container id, action) for each container event
     */
    public void followContainerEvents(Runnable onOpen, Consumer<ContainerEvent> onEvent) throws DaemonException {
        daemon.events(Map.of("type", List.of("container")), onOpen, event -> onEvent.accept(new ContainerEvent(
                event.path("Actor").path("ID").asText(event.path("id").asText()),
                event.path("Action").asText(event.path("status").asText()))));
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
