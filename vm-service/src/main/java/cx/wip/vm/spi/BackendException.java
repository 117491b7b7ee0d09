package cx.wip.vm.spi;

/** A backend could not do what was asked; the message is shown to operators and, shortened, to the tenant. */
public class BackendException extends RuntimeException {
    public BackendException(String message) {
        super(message);
    }

    public BackendException(String message, Throwable cause) {
        super(message, cause);
    }
}
