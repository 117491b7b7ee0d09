package cx.wip.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;

import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * What becomes of the client's connection around an exchange: a {@code Connection: close} from the client is honoured,
 * and after a refusal the rest of the request body is read only when it is small — a large or endless body (or any
 * body of a client we could not authenticate) ends the connection instead of being drained for as long as the
 * client cares to send.
 */
final class ClientConnection {
    /** A refused body up to this size is read so the client reads our answer rather than a broken pipe. */
    static final int DRAIN_LIMIT = 64 * 1024;

    private ClientConnection() {
    }

    /** Marks the response {@code Connection: close} when the client asked for it. */
    static void honourClose(ServerRequest request, ServerResponse response) {
        for (String value : request.headers().all(HeaderNames.CONNECTION, java.util.List::of)) {
            for (String token : value.split(",")) {
                if (token.trim().toLowerCase(Locale.ROOT).equals("close")) {
                    response.header(HeaderValues.CONNECTION_CLOSE);
                    return;
                }
            }
        }
    }

    /**
     * Ends the connection after a response marked {@code Connection: close}: Helidon 4.5 sends the header but keeps
     * reading the connection after a response written through a sink.
     */
    static void closeIfMarked(ServerResponse response) {
        if (response.isSent() && response.headers().contains(HeaderValues.CONNECTION_CLOSE)) {
            throw new CloseConnectionException("the response said Connection: close");
        }
    }

    /**
     * Settles the unread rest of a refused request's body before the error is sent.
     *
     * @param authenticated false when the client is not known to be a tenant: nothing of its body is read
     */
    static void afterRefusal(ServerRequest request, ServerResponse response, boolean authenticated) {
        try {
            if (!request.content().hasEntity() || request.content().consumed()) {
                return;
            }
            long length = request.headers().contentLength().orElse(-1);
            if (authenticated && length >= 0 && length <= DRAIN_LIMIT) {
                try (InputStream in = request.content().inputStream()) {
                    in.transferTo(java.io.OutputStream.nullOutputStream());
                }
                return;
            }
        } catch (IOException | RuntimeException clientGone) {
            // the client went away or broke its framing: the connection ends either way
        }
        response.header(HeaderValues.CONNECTION_CLOSE);
    }
}
