package cx.wip.gateway.proxy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import cx.wip.docker.ResponseHead.Header;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/** Which headers cross the gateway, each way. Hop-by-hop headers and credentials stop here. */
final class Headers {
    /** Never forwarded to the daemon: hop-by-hop, framing (recomputed), and the tenant's credential. */
    private static final Set<String> REQUEST_DROPPED = Set.of("host", "connection", "keep-alive", "proxy-connection",
            "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade", "content-length", "expect",
            "authorization", "x-helidon-cn");
    /** Never copied back to the client: hop-by-hop and framing (Helidon writes its own). */
    private static final Set<String> RESPONSE_DROPPED = Set.of("connection", "keep-alive", "transfer-encoding",
            "content-length", "trailer", "date");

    private static final int MAX_CACHED_NAMES = 256;
    private static final Map<String, HeaderName> RESPONSE_NAMES = new ConcurrentHashMap<>();

    private Headers() {
    }

    /**
     * @param bodyLength the body length to announce, -1 for chunked, -2 for no body
     * @param upgrade    the protocol to ask the daemon to switch to, or null
     */
    static List<Header> toDaemon(ServerRequest request, long bodyLength, String upgrade) {
        List<Header> out = new ArrayList<>();
        for (var header : request.headers()) {
            if (!REQUEST_DROPPED.contains(header.headerName().lowerCase())) {
                for (String value : header.allValues()) {
                    out.add(new Header(header.name(), value));
                }
            }
        }
        if (bodyLength >= 0) {
            out.add(new Header("Content-Length", Long.toString(bodyLength)));
        } else if (bodyLength == -1) {
            out.add(new Header("Transfer-Encoding", "chunked"));
        }
        if (upgrade != null) {
            out.add(new Header("Connection", "Upgrade"));
            out.add(new Header("Upgrade", upgrade));
        }
        return out;
    }

    static void toClient(List<Header> daemonHeaders, ServerResponse response) {
        for (Header header : daemonHeaders) {
            HeaderName name = name(header.name());
            if (!RESPONSE_DROPPED.contains(name.lowerCase())) {
                response.headers().add(name, header.value());
            }
        }
    }

    /** Daemons send the same dozen header names on every answer: made (validated, lower-cased) once each. */
    private static HeaderName name(String name) {
        HeaderName known = RESPONSE_NAMES.get(name);
        if (known != null) {
            return known;
        }
        HeaderName made = HeaderNames.create(name);
        if (RESPONSE_NAMES.size() < MAX_CACHED_NAMES) {
            RESPONSE_NAMES.putIfAbsent(name, made);
        }
        return made;
    }

    static String upgradeRequested(ServerRequest request) {
        return request.headers().first(HeaderNames.UPGRADE).orElse(null);
    }
}
