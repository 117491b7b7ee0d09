package cx.wip.auth.grpc;

import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

import cx.wip.auth.domain.AuthException;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.lettuce.core.RedisException;

/** The one place where exceptions become gRPC statuses. */
final class Errors {
    private static final Logger LOGGER = Logger.getLogger(Errors.class.getName());

    private Errors() {
    }

    /** Runs a unary call: its value, or its failure mapped to a status. */
    static <T> void respond(StreamObserver<T> observer, Supplier<T> call) {
        final T value;
        try {
            value = call.get();
        } catch (RuntimeException e) {
            observer.onError(status(e).asRuntimeException());
            return;
        }
        observer.onNext(value);
        observer.onCompleted();
    }

    static Status status(RuntimeException e) {
        return switch (e) {
            case AuthException.NotFound nf -> Status.NOT_FOUND.withDescription(nf.getMessage());
            case AuthException.AlreadyExists ae -> Status.ALREADY_EXISTS.withDescription(ae.getMessage());
            case AuthException.Invalid inv -> Status.INVALID_ARGUMENT.withDescription(inv.getMessage());
            case RedisException re -> {
                LOGGER.log(Level.WARNING, "redis unavailable: " + re.getClass().getSimpleName());
                yield Status.UNAVAILABLE.withDescription("auth-service cannot reach its state store (redis)");
            }
            default -> {
                LOGGER.log(Level.SEVERE, "internal error: " + e.getClass().getName());
                yield Status.INTERNAL.withDescription("internal error in auth-service");
            }
        };
    }
}
