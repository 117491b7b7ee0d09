package cx.wip.ingress;

import java.util.Collection;
import java.util.List;

/**
 * Where routes are served (Caddy's admin API, Traefik's Redis KV tree). Every backend passes the one contract test,
 * {@code RouteBackendContract}. Implementations are idempotent: applying the same routes twice changes nothing.
 */
public interface RouteBackend extends AutoCloseable {
    /**
     * Makes the tenant's routes on the backend exactly {@code routes}: adds the missing ones, updates changed
     * upstreams, removes the rest. Other tenants' routes are not touched.
     *
     * @throws BackendException when the backend refused or could not be reached
     */
    void apply(TenantKey tenant, Collection<Route> routes);

    /** @return the tenant's routes as the backend holds them now, sorted by host */
    List<Route> routes(TenantKey tenant);

    /** @return tenants that have routes on the backend (for reconciling tenants ingress-service forgot) */
    List<TenantKey> tenants();

    @Override
    void close();
}
