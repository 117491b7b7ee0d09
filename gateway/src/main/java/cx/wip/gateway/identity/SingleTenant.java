package cx.wip.gateway.identity;

/**
 * Development mode without auth-service: every request belongs to one local tenant, which owns the configured daemon.
 * `bin/wip up --single` runs this way. Its plan is {@code free}, the default plan shipped with policy- and vm-service.
 */
public final class SingleTenant implements Authenticator {
    private static final Tenant LOCAL = new Tenant("local", "local", "free");

    @Override
    public Tenant authenticate(ClientIdentity identity) {
        return LOCAL;
    }
}
