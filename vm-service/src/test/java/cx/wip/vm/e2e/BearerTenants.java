package cx.wip.vm.e2e;

import java.util.Map;

import cx.wip.gateway.GatewayException;
import cx.wip.gateway.identity.Authenticator;
import cx.wip.gateway.identity.ClientIdentity;
import cx.wip.gateway.identity.Tenant;

/** Test-only identity: a bearer token that is the tenant's key in a fixed map (auth-service does this for real). */
final class BearerTenants implements Authenticator {
    private final Map<String, Tenant> tenants;

    BearerTenants(Map<String, Tenant> tenants) {
        this.tenants = Map.copyOf(tenants);
    }

    @Override
    public Tenant authenticate(ClientIdentity identity) {
        return identity.bearerToken().map(tenants::get)
                .orElseThrow(() -> new GatewayException(401, "unknown tenant token"));
    }
}
