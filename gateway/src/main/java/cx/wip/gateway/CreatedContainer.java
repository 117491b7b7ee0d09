package cx.wip.gateway;

import java.io.IOException;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import cx.wip.gateway.proxy.Forwarder;

/**
 * The answer to one {@code POST /containers/create} or {@code /update}: the policy's warnings are added to its
 * {@code Warnings} (the CLI prints them) and a created container's {@code Id} is kept for the lifecycle report.
 */
final class CreatedContainer {
    private static final ObjectMapper JSON = new ObjectMapper();

    private String id;

    String id() {
        return id;
    }

    Forwarder.JsonRewrite rewrite(List<String> warnings) {
        return (status, body) -> {
            try {
                JsonNode node = JSON.readTree(body);
                if (!(node instanceof ObjectNode created)) {
                    return body;
                }
                id = created.path("Id").asText(null);
                if (warnings.isEmpty() || status / 100 != 2) {
                    return body; // an error answer keeps the daemon's shape: {"message": …}
                }
                ArrayNode merged = created.get("Warnings") instanceof ArrayNode existing ? existing
                        : created.putArray("Warnings");
                warnings.forEach(merged::add);
                return JSON.writeValueAsBytes(created);
            } catch (IOException notJson) {
                return body;
            }
        };
    }
}
