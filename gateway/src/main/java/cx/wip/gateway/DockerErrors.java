package cx.wip.gateway;

import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;

/**
 * The one place errors become responses: Docker's {@code {"message": "..."}} with a fitting status, which the docker
 * CLI prints as "Error response from daemon: ..." and compose prints as is.
 */
final class DockerErrors {
    private static final ObjectMapper JSON = new ObjectMapper();

    private DockerErrors() {
    }

    /**
     * @param headRequest a reply to HEAD carries no body: the Go client reads one as an unsolicited response on an
     *                    idle connection ({@code HEAD /_ping} is the CLI's first request)
     */
    static void send(ServerResponse response, GatewayException error, boolean headRequest) {
        response.status(Status.create(error.status()));
        response.headers().set(HeaderValues.CONTENT_TYPE_JSON);
        if (headRequest) {
            response.send();
            return;
        }
        ObjectNode body = JSON.createObjectNode().put("message", error.getMessage());
        response.send(body.toString().concat("\n").getBytes(StandardCharsets.UTF_8));
    }

    /** The daemon could not be reached (connection refused, socket missing, timeout). */
    static GatewayException daemonUnreachable(Exception cause) {
        if (cause instanceof javax.net.ssl.SSLException) {
            return new GatewayException(502, "wip: the TLS handshake with your Docker engine failed ("
                    + cause.getMessage() + "); the platform's daemon certificates need attention", cause);
        }
        return new GatewayException(502, "wip: your Docker engine is not reachable right now ("
                + (cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage())
                + "); retry in a moment", cause);
    }
}
