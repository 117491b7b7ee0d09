package cx.wip.ingress;

/** A {@code com.wip.http} value (or a domain name) that does not follow the grammar; the message is one line. */
public final class InvalidLabelException extends IngressException {
    public InvalidLabelException(String message) {
        super(message);
    }
}
