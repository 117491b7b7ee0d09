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
    /**
     * A refused body of a tenant is read up to this size (a build context, a {@code cp} upload) so the client reads our
     * answer rather than a broken pipe; the tenant's caps bound how many such reads it can hold at once.
     */
    static final long DRAIN_LIMIT = 256L * 1024 * 1024;

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
     * @param status        the refusal's status
     */
    static void afterRefusal(ServerRequest request, ServerResponse response, boolean authenticated, int status) {
        try {
            if (!request.content().hasEntity() || request.content().consumed()) {
                return;
            }
            long length = request.headers().contentLength().orElse(-1);
            // a tenant's refused build context or upload is read (chunked too) so it sees our message; a client over its
            // caps (429), a busy gateway (503) or a body over the limit (413) is not worth reading
            boolean worthReading = status != 429 && status != 503 && status != 413;
            if (authenticated && worthReading && length <= DRAIN_LIMIT) {
                try (InputStream in = request.content().inputStream()) {
                    if (drained(in)) {
                        return;
                    }
                }
            }
        } catch (IOException | RuntimeException clientGone) {
            // the client went away or broke its framing: the connection ends either way
        }
        response.header(HeaderValues.CONNECTION_CLOSE);
    }

    /** Reads the body to its end; false when it is longer than {@link #DRAIN_LIMIT} (the connection then ends). */
    private static boolean drained(InputStream in) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        int n;
        while ((n = in.read(buffer)) != -1) {
            total += n;
            if (total > DRAIN_LIMIT) {
                return false;
            }
        }
        return true;
    }

}
