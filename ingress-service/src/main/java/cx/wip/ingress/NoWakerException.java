package cx.wip.ingress;

/** Engines may not freeze behind this ingress-service: it has no waker to hold their requests. */
public final class NoWakerException extends RuntimeException {
    public NoWakerException(String message) {
        super(message);
    }
}
