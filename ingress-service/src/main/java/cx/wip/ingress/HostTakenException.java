package cx.wip.ingress;

/** A host (custom domain) that belongs to another tenant. */
public final class HostTakenException extends IngressException {
    public HostTakenException(String host) {
        super("host " + host + " belongs to another tenant: choose another name");
    }
}
