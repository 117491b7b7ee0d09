package cx.wip.gateway.identity;

import cx.wip.gateway.GatewayException;

/**
 * Decides which tenant a request belongs to. Called once per request on the request path: implementations cache.
 */
public interface Authenticator {
    /**
     * @return the tenant
     * @throws GatewayException with status 401 (no/wrong credential), 429 (throttled) or 503 (auth unavailable)
     */
    Tenant authenticate(ClientIdentity identity);
}
