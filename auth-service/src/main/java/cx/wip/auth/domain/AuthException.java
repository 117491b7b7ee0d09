package cx.wip.auth.domain;

/**
 * Every error the auth domain raises; mapped once to a gRPC status. Messages never contain a credential.
 */
public sealed class AuthException extends RuntimeException
        permits AuthException.NotFound, AuthException.AlreadyExists, AuthException.Invalid {

    private AuthException(String message) {
        super(message);
    }

    /** A tenant or credential that does not exist. */
    public static final class NotFound extends AuthException {
        public NotFound(String message) {
            super(message);
        }
    }

    /** A tenant slug already taken. */
    public static final class AlreadyExists extends AuthException {
        public AlreadyExists(String message) {
            super(message);
        }
    }

    /** A request that breaks a rule (bad slug, missing public key, ...). */
    public static final class Invalid extends AuthException {
        public Invalid(String message) {
            super(message);
        }
    }
}
