package cx.wip.policy.review;

/**
 * Why a request may not pass. Sealed: each kind has one HTTP status, mapped once in {@link Reviews}.
 * Messages are one line the docker CLI prints as is: what was refused and what to do instead.
 */
public sealed abstract class PolicyException extends RuntimeException
        permits PolicyException.Refused, PolicyException.InvalidBody, PolicyException.QuotaExceeded {

    private final String rule;

    private PolicyException(String rule, String message) {
        super(message, null, false, false);
        this.rule = rule;
    }

    /** @return the HTTP status the client gets */
    public abstract int status();

    /**
     * @return which rule refused: the setting a refusal names ({@code privileged}, {@code cap_add}, ...),
     *         {@code invalid_body} or {@code quota} — a bounded set fixed in code, fit for a metric label
     */
    public String rule() {
        return rule;
    }

    /** The request asks for something the platform does not allow (403). */
    public static final class Refused extends PolicyException {
        Refused(String rule, String message) {
            super(rule, message);
        }

        @Override
        public int status() {
            return 403;
        }
    }

    /** The body cannot be read the one way the daemon would read it (400). */
    public static final class InvalidBody extends PolicyException {
        InvalidBody(String message) {
            super("invalid_body", message);
        }

        @Override
        public int status() {
            return 400;
        }
    }

    /** The request would take the tenant over its plan's quota (409). */
    public static final class QuotaExceeded extends PolicyException {
        QuotaExceeded(String message) {
            super("quota", message);
        }

        @Override
        public int status() {
            return 409;
        }
    }

    static Refused refused(String rule, String message) {
        return new Refused(rule, "wip: " + message);
    }

    static InvalidBody invalid(String message) {
        return new InvalidBody("wip: " + message);
    }

    static QuotaExceeded quota(String message) {
        return new QuotaExceeded("wip: " + message);
    }
}
