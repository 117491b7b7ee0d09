package cx.wip.ingress.wake;

import java.util.List;

/**
 * A routed host as ingress-service's own store has it: the only place the waker takes an address to dial from.
 *
 * @param tenantId  the tenant that holds the host
 * @param upstreams {@code host:port} of the containers behind it
 */
public record HostRoute(String tenantId, List<String> upstreams) {
    public HostRoute {
        upstreams = List.copyOf(upstreams);
    }
}
