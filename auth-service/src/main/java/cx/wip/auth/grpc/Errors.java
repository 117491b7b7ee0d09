package cx.wip.auth.grpc;

import java.util.logging.Level;
import java.util.logging.Logger;

import cx.wip.auth.domain.AuthException;
import cx.wip.telemetry.GrpcUnary;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.lettuce.core.RedisException;

/**
 * The one place where exceptions become gRPC statuses; {@link #UNARY} answers every unary call of both services
 * with them (anything not named here: INTERNAL "internal error in auth-service", logged once).
 */
final class Errors {
    static final GrpcUnary UNARY = GrpcUnary.of("auth-service", Errors::status);

    private static final Logger LOGGER = Logger.getLogger(Errors.class.getName());

    private Errors() {
    }

    /** The status of one of auth-service's own failures, with its message; null for any other. */
    static StatusRuntimeException status(RuntimeException e) {
        final Status status = switch (e) {
            case AuthException.NotFound nf -> Status.NOT_FOUND.withDescription(nf.getMessage());
            case AuthException.AlreadyExists ae -> Status.ALREADY_EXISTS.withDescription(ae.getMessage());
            case AuthException.Invalid inv -> Status.INVALID_ARGUMENT.withDescription(inv.getMessage());
            case RedisException re -> {
                LOGGER.log(Level.WARNING, "redis unavailable: " + re.getClass().getSimpleName());
                yield Status.UNAVAILABLE.withDescription("auth-service cannot reach its state store (redis)");
            }
            default -> null;
        };
        return status == null ? null : status.asRuntimeException();
    }
}
