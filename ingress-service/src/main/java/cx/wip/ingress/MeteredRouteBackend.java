package cx.wip.ingress;

import java.util.Collection;
import java.util.List;

import cx.wip.telemetry.LabelledCounter;

/**
 * The configured route backend, measured where routes change: {@code wip_ingress_route_syncs_total{provider,outcome}}
 * (provider caddy or traefik, outcome ok or failed) for every apply — from SyncRoutes, lifecycle reports and the
 * reconciler alike. Reads pass straight through.
 */
final class MeteredRouteBackend implements RouteBackend {
    static final LabelledCounter SYNCS = LabelledCounter.create("wip_ingress_route_syncs",
            "route backend applies by provider and outcome", "provider", "outcome");

    private final RouteBackend backend;
    private final String provider;

    MeteredRouteBackend(RouteBackend backend, String provider) {
        this.backend = backend;
        this.provider = provider;
    }

    @Override
    public void apply(TenantKey tenant, Collection<Route> routes) {
        try {
            backend.apply(tenant, routes);
        } catch (RuntimeException e) {
            SYNCS.increment(provider, "failed");
            throw e;
        }
        SYNCS.increment(provider, "ok");
    }

    @Override
    public List<Route> routes(TenantKey tenant) {
        return backend.routes(tenant);
    }

    @Override
    public List<TenantKey> tenants() {
        return backend.tenants();
    }

    @Override
    public void close() {
        backend.close();
    }
}
