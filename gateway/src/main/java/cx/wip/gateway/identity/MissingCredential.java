package cx.wip.gateway.identity;

import cx.wip.gateway.GatewayException;

/**
 * A request that presents no credential at all (401), as opposed to a wrong one: the gateway may then explain why a
 * client sent none (see {@link HeaderlessClients}).
 */
public final class MissingCredential extends GatewayException {
    public MissingCredential(String message) {
        super(401, message);
    }
}
