package cx.wip.gateway.quota;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Which container a path's {@code {id}} names, decided as the daemon decides it (moby {@code daemon.GetContainer}):
 * a full id first, then a name, then a unique id prefix. An ambiguous prefix names none (the daemon refuses it too).
 */
final class ContainerMatch {
    private ContainerMatch() {
    }

    /**
     * @param list     the daemon's {@code /containers/json?all=1} answer (all containers, not only the counted ones, so
     *                 a name is not mistaken for another container's id prefix)
     * @param idOrName the {@code {id}} path parameter
     * @return the full id, or null when nothing (or more than one by prefix) matches
     */
    static String id(JsonNode list, String idOrName) {
        if (idOrName.isEmpty()) {
            return null;
        }
        for (JsonNode container : list) {
            if (container.path("Id").asText().equals(idOrName)) {
                return idOrName;
            }
        }
        String name = idOrName.startsWith("/") ? idOrName : "/" + idOrName;
        for (JsonNode container : list) {
            for (JsonNode listed : container.path("Names")) {
                if (listed.asText().equals(name)) {
                    return container.path("Id").asText();
                }
            }
        }
        String found = null;
        for (JsonNode container : list) {
            String id = container.path("Id").asText();
            if (id.startsWith(idOrName)) {
                if (found != null) {
                    return null;
                }
                found = id;
            }
        }
        return found;
    }
}
