package cx.wip.vm.docker;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import cx.wip.vm.spi.BackendException;

/** The two container calls vm-service makes on a tenant's engine: which run now, and start these again. */
public final class EngineContainers {
    private static final Logger LOGGER = Logger.getLogger(EngineContainers.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern ID = Pattern.compile("[0-9a-f]{12,64}");

    private EngineContainers() {
    }

    /** The ids of the running containers ({@code GET /containers/json}); fails when the engine cannot tell. */
    public static List<String> running(DockerHttp docker, Duration timeout) {
        try {
            DockerHttp.Response response = docker.get("/containers/json", timeout);
            if (response.status() != 200) {
                throw new BackendException("the engine answered " + response.status() + " to a container list");
            }
            List<String> ids = new ArrayList<>();
            for (JsonNode container : JSON.readTree(response.body())) {
                ids.add(container.path("Id").asText());
            }
            return ids;
        } catch (IOException e) {
            throw new BackendException("cannot list the engine's containers: " + e.getMessage(), e);
        }
    }

    /** Starts each container ({@code POST /containers/{id}/start}); the ones that run afterwards are returned. */
    public static List<String> start(DockerHttp docker, List<String> ids, Duration timeout) {
        List<String> started = new ArrayList<>();
        for (String id : ids) {
            if (!ID.matcher(id).matches()) {
                LOGGER.warning(() -> "not a container id, not started: " + id);
                continue;
            }
            try {
                int status = docker.post("/containers/" + id + "/start", timeout).status();
                // 204 started, 304 already running (a restart policy brought it back first)
                if (status == 204 || status == 304) {
                    started.add(id);
                } else {
                    LOGGER.warning(() -> "container " + id + " was not started again on wake: " + status);
                }
            } catch (IOException e) {
                LOGGER.warning(() -> "container " + id + " was not started again on wake: " + e.getMessage());
            }
        }
        return started;
    }
}
