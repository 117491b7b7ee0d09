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

    /**
     * Starts the containers again ({@code POST /containers/{id}/start}), all at once; the ones that fail are tried again
     * while others came up meanwhile — a container that joins another's network or links to it starts only once that
     * one runs, and the list comes newest first. Returns the ones that run afterwards.
     */
    public static List<String> start(DockerEngine engine, List<String> ids) {
        List<String> pending = new ArrayList<>();
        for (String id : ids) {
            if (ID.matcher(id).matches()) {
                pending.add(id);
            } else {
                LOGGER.warning(() -> "not a container id, not started: " + id);
            }
        }
        List<String> started = new ArrayList<>();
        Map<String, String> failures = new java.util.LinkedHashMap<>();
        while (!pending.isEmpty()) {
            failures.clear();
            List<String> round = startAll(engine, pending, failures);
            if (round.isEmpty()) {
                break;
            }
            started.addAll(round);
            pending = new ArrayList<>(failures.keySet());
        }
        failures.forEach((id, why) -> LOGGER.warning(() -> "container " + id + " was not started again on wake: "
                                                           + why));
        return started;
    }

    /** One round, in parallel: the started ids; the failed ones go into {@code failures} with why. */
    private static List<String> startAll(DockerEngine engine, List<String> ids, Map<String, String> failures) {
        List<String> started = java.util.Collections.synchronizedList(new ArrayList<>());
        try (java.util.concurrent.ExecutorService starts = java.util.concurrent.Executors
                .newVirtualThreadPerTaskExecutor()) {
            for (String id : ids) {
                starts.submit(() -> {
                    try {
                        // already running (a restart policy brought it back first) counts as started
                        engine.startContainer(id);
                        started.add(id);
                    } catch (DaemonException e) {
                        synchronized (failures) {
                            failures.put(id, e.getMessage());
                        }
                    }
                });
            }
        }
        return started;
    }
}
