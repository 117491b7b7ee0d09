package cx.wip.gateway;

import io.helidon.webserver.ProxyProtocolData;
import io.helidon.webserver.http.ServerRequest;

/**
 * Where a request really comes from: the PROXY protocol header's source when the listener takes one (behind Traefik's
 * TCP passthrough the socket's peer is Traefik for every client), else the socket's peer. The failure throttle and the
 * access log key on it.
 */
final class ClientAddress {
    private ClientAddress() {
    }

    static String of(ServerRequest request) {
        return request.proxyProtocolData()
                .map(ProxyProtocolData::sourceAddress)
                // a LOCAL header (the proxy's own health check) carries no source
                .filter(source -> source != null && !source.isBlank())
                .orElseGet(() -> request.remotePeer().host());
    }
}
