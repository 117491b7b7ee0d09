package cx.wip.gateway;

/**
 * An error that is the platform's fault, not the request's: a daemon, vm-service, auth, policy or ingress failed.
 * The tenant reads only the plain message given here and the request id to quote; {@link DockerErrors} logs the cause
 * (which may name hosts, paths, addresses) under that request id, so the operator can find it.
 */
public final class PlatformFault extends GatewayException {
    /** @param plainMessage what the tenant reads: no host path, address, pid or log text */
    public PlatformFault(int status, String plainMessage, Throwable cause) {
        super(status, plainMessage, cause);
    }
}
