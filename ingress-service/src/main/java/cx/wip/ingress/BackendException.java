package cx.wip.ingress;

/** Something ingress-service depends on (route backend, Docker daemon, DNS, Redis) failed or is unreachable. */
public final class BackendException extends IngressException {
    public BackendException(String message) {
        super(message);
    }

    public BackendException(String message, Throwable cause) {
        super(message, cause);
    }
}
