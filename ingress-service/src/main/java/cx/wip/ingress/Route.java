package cx.wip.ingress;

import java.util.List;
import java.util.Objects;

/**
 * What a route backend serves: HTTPS for {@code host}, proxied to the upstreams (load-balanced when several
 * containers name the same host, e.g. a scaled compose service).
 *
 * @param host      public host name
 * @param upstreams {@code host:port} addresses to dial, sorted
 */
public record Route(String host, List<String> upstreams) {
    public Route {
        Objects.requireNonNull(host, "host");
        upstreams = upstreams.stream().sorted().distinct().toList();
        if (upstreams.isEmpty()) {
            throw new IllegalArgumentException("route " + host + " has no upstream");
        }
    }
}
