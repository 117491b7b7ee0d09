package cx.wip.ingress.wake;

import cx.wip.proto.vm.v1.Endpoint;

import java.util.Optional;

/** What the waker and the hit log need from ingress-service: its stored routes, and a re-sync after a wake. */
public interface RouteDirectory {
    /** @return the route of the host (lower case, no port) from ingress-service's store; empty when not routed */
    Optional<HostRoute> route(String host);

    /**
     * Re-reads the tenant's containers from its (now awake) engine and makes its routes match: ports published anew
     * may have moved, and the route backend dials the containers again instead of the waker.
     *
     * @param endpoint where vm-service says the engine is now
     */
    void resync(String tenantId, Endpoint endpoint);
}
