package cx.wip.gateway;

import java.nio.charset.StandardCharsets;

import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderValues;
import io.helidon.http.ServerResponseHeaders;
import io.helidon.http.Status;

/**
 * What Helidon answers itself, before any route runs (a request line it cannot parse, a fragment, headers too large),
 * in Docker's shape: {@code {"message": "…"}} as JSON, so the CLI prints it like any daemon error. Only the status
 * and a fixed sentence reach the client; Helidon's own text (which may quote the request) does not.
 */
final class DockerDirectHandler implements DirectHandler {

    @Override
    public TransportResponse handle(TransportRequest request, EventType eventType, Status status,
                                    ServerResponseHeaders headers, String message) {
        String text = switch (eventType) {
            case BAD_REQUEST -> "wip: the request could not be read (" + status.code() + " " + status.reasonPhrase()
                    + ") — send a plain HTTP/1.1 request with a printable ASCII target, as docker clients do";
            default -> "wip: the gateway could not handle the request (" + status.code() + ")";
        };
        String json = "{\"message\":\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}\n";
        headers.set(HeaderValues.CONTENT_TYPE_JSON);
        return TransportResponse.builder()
                .status(status)
                .headers(headers)
                .entity(json.getBytes(StandardCharsets.UTF_8))
                .keepAlive(false)
                .build();
    }
}
