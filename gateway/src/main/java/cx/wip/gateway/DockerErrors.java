package cx.wip.gateway;

import java.nio.charset.StandardCharsets;
import java.util.logging.Level;
import java.util.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;

import cx.wip.telemetry.RequestIds;

/**
 * The one place errors become responses: Docker's {@code {"message": "..."}} with a fitting status, which the docker
 * CLI prints as "Error response from daemon: ..." and compose prints as is.
 */
final class DockerErrors {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger LOGGER = Logger.getLogger(DockerErrors.class.getName());

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
        ObjectNode body = JSON.createObjectNode().put("message", tenantMessage(error));
        response.send(body.toString().concat("\n").getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The message the tenant reads. A {@link PlatformFault}'s cause is logged here (the line carries the request id)
     * and the tenant gets the plain message with that id to quote: the cause may name addresses, sockets or paths.
     */
    static String tenantMessage(GatewayException error) {
        if (!(error instanceof PlatformFault)) {
            return error.getMessage();
        }
        LOGGER.log(Level.WARNING, "answered " + error.status() + " \"" + error.getMessage() + "\"; cause: "
                + causes(error.getCause()));
        return error.getMessage() + " (" + RequestIds.requestId()
                .map(id -> "request id " + id + "; the operator can look it up")
                .orElse("the operator can find the detail in the gateway's log") + ")";
    }

    private static String causes(Throwable cause) {
        StringBuilder chain = new StringBuilder();
        for (Throwable c = cause; c != null && chain.length() < 2000; c = c.getCause()) {
            chain.append(chain.isEmpty() ? "" : " <- ").append(c);
        }
        return chain.isEmpty() ? "-" : chain.toString();
    }

    /** The daemon could not be reached (connection refused, socket missing, timeout); the cause names where. */
    static GatewayException daemonUnreachable(Exception cause) {
        if (cause instanceof javax.net.ssl.SSLException) {
            return new PlatformFault(502, "wip: the TLS handshake with your Docker engine failed; the platform's "
                    + "daemon certificates need attention", cause);
        }
        return new PlatformFault(502, "wip: your Docker engine is not reachable right now; retry in a moment", cause);
    }
}
