package cx.wip.gateway.identity;

/**
 * Development mode without auth-service: every request belongs to one local tenant, which owns the configured daemon.
 * `bin/wip up` says so when it runs this way.
 */
public final class SingleTenant implements Authenticator {
    private static final Tenant LOCAL = new Tenant("local", "local", "default");

    @Override
    public Tenant authenticate(ClientIdentity identity) {
        return LOCAL;
    }
}
