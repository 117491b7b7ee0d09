package cx.wip.gateway.endpoint;

import cx.wip.docker.DaemonAddress;
import cx.wip.gateway.identity.Tenant;

/** Every tenant reaches the one configured daemon (the single-daemon mode of `bin/wip up` before vm-service). */
public final class StaticEndpointResolver implements EndpointResolver {
    private final DaemonAddress daemon;

    public StaticEndpointResolver(DaemonAddress daemon) {
        this.daemon = daemon;
    }

    @Override
    public DaemonAddress endpoint(Tenant tenant) {
        return daemon;
    }
}
