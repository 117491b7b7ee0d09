package cx.wip.ingress;

/** Every error ingress-service reports; mapped to a gRPC status once, in {@code cx.wip.ingress.grpc.Statuses}. */
public abstract sealed class IngressException extends RuntimeException
        permits InvalidLabelException, HostTakenException, DomainUnverifiedException, BackendException {
    protected IngressException(String message) {
        super(message);
    }

    protected IngressException(String message, Throwable cause) {
        super(message, cause);
    }
}
