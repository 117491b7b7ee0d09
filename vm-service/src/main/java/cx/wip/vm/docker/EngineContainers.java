package cx.wip.vm.docker;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import cx.wip.docker.DaemonException;
import cx.wip.docker.DockerEngine;
import cx.wip.vm.spi.BackendException;

/** The two container calls vm-service makes on a tenant's engine: which run now, and start these again. */
public final class EngineContainers {
    private static final Logger LOGGER = Logger.getLogger(EngineContainers.class.getName());
    private static final Pattern ID = Pattern.compile("[0-9a-f]{12,64}");

    private EngineContainers() {
    }

    /** The ids of the running containers ({@code GET /containers/json}); fails when the engine cannot tell. */
    public static List<String> running(DockerEngine engine) {
        try {
            List<String> ids = new ArrayList<>();
            for (JsonNode container : engine.containers(false, Map.of())) {
                ids.add(container.path("Id").asText());
            }
            return ids;
        } catch (DaemonException e) {
            throw new BackendException("cannot list the engine's containers: " + e.getMessage(), e);
        }
    }

    /** Starts each container ({@code POST /containers/{id}/start}); the ones that run afterwards are returned. */
    public static List<String> start(DockerEngine engine, List<String> ids) {
        List<String> started = new ArrayList<>();
        for (String id : ids) {
            if (!ID.matcher(id).matches()) {
                LOGGER.warning(() -> "not a container id, not started: " + id);
                continue;
            }
            try {
                // already running (a restart policy brought it back first) counts as started
                engine.startContainer(id);
                started.add(id);
            } catch (DaemonException e) {
                LOGGER.warning(() -> "container " + id + " was not started again on wake: " + e.getMessage());
            }
        }
        return started;
    }
}
