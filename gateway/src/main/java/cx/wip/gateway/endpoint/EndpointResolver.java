package cx.wip.gateway.endpoint;

import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

import cx.wip.docker.DaemonAddress;
import cx.wip.gateway.identity.Tenant;

/**
 * Finds (and, where the implementation can, starts) the Docker daemon of a tenant.
 */
public interface EndpointResolver {
    /**
     * @return the tenant's daemon
     * @throws cx.wip.gateway.GatewayException 503 when the daemon cannot be had (still starting, backend down)
     */
    DaemonAddress endpoint(Tenant tenant);

    /** Called when the daemon returned by {@link #endpoint} could not be reached: forget any cached answer. */
    default void invalidate(Tenant tenant) {
    }

    /**
     * The address where the tenant's published ports are reached (ingress routes go there), when the tenant has a
     * daemon of its own; empty for a shared daemon.
     */
    default Optional<String> publicAddress(Tenant tenant) {
        return Optional.empty();
    }

    /** Called (batched by implementations) when a tenant uses its daemon; feeds idle stop. */
    default void activity(Tenant tenant) {
    }

    /**
     * Tells the resolver where to find the tenants with a session open now (attach, exec, logs -f, events, a
     * build): they are reported as using their engine for as long as it stays open.
     */
    default void openSessions(Supplier<Set<String>> tenants) {
    }

    /** Whether the tenant's engine is awake, why, and when it will sleep, in words; empty when not known. */
    default Optional<String> engineState(Tenant tenant) {
        return Optional.empty();
    }
}
