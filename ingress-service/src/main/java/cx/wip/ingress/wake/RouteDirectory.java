package cx.wip.ingress.wake;

import cx.wip.proto.vm.v1.Endpoint;

import java.util.List;
import java.util.Optional;

/** What the waker and the hit log need from ingress-service: its stored routes, and a re-sync after a wake. */
public interface RouteDirectory {
    /** @return the route of the host (lower case, no port) from ingress-service's store; empty when not routed */
    Optional<HostRoute> route(String host);

    /**
     * Re-reads the tenant's containers from its (now awake) engine and makes its routes match: ports published anew
     * may have moved, and the route backend dials the containers again instead of the waker.
     *
     * @param endpoint    where vm-service says the engine is now
     * @param onWakerOnly keep the route backend on the waker for now (the apps were just started and may not accept
     *                    yet: a request with a body the route backend sent to them would be lost), until a resync
     *                    with false
     * @return the tenant's upstreams after the sync
     */
    List<String> resync(String tenantId, Endpoint endpoint, boolean onWakerOnly);

    /**
     * Whether the tenant's apps are frozen (light sleep): their ports still accept connections but answer nothing, so
     * a held request must wake the engine before it is relayed.
     */
    default boolean frozen(String tenantId) {
        return false;
    }
}
