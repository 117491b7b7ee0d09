package cx.wip.ingress;

/** A custom domain used before the tenant proved it owns it; the message says which DNS record to publish. */
public final class DomainUnverifiedException extends IngressException {
    public DomainUnverifiedException(String message) {
        super(message);
    }
}
