package cx.wip.telemetry;

import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;

/**
 * How a service answers its unary calls, the same in every service: the call's value and completion, or one error.
 * The service's one error mapping turns its own exceptions into statuses; any other failure (a bug, a library's
 * surprise) is answered {@code INTERNAL} "internal error in &lt;service&gt;" — nothing of it reaches the caller — and
 * logged here, once, with its stack trace, under the call's request id.
 */
public final class GrpcUnary {
    private static final Logger LOGGER = Logger.getLogger(GrpcUnary.class.getName());

    private final String service;
    private final Function<? super RuntimeException, StatusRuntimeException> errors;

    private GrpcUnary(String service, Function<? super RuntimeException, StatusRuntimeException> errors) {
        this.service = Objects.requireNonNull(service);
        this.errors = Objects.requireNonNull(errors);
    }

    /**
     * @param service the service's name, as callers read it in the generic description (e.g. {@code auth-service})
     * @param errors  the service's error mapping: a status for each of its own exceptions, null for anything else
     */
    public static GrpcUnary of(String service, Function<? super RuntimeException, StatusRuntimeException> errors) {
        return new GrpcUnary(service, errors);
    }

    /** Answers one unary call with what {@code call} returns, or with {@link #status} of what it threw. */
    public <T> void answer(StreamObserver<T> observer, Supplier<T> call) {
        T value;
        try {
            value = call.get();
        } catch (RuntimeException e) {
            observer.onError(status(e));
            return;
        }
        observer.onNext(value);
        observer.onCompleted();
    }

    /** The error a call that threw {@code error} is answered with. */
    public StatusRuntimeException status(RuntimeException error) {
        StatusRuntimeException mapped;
        try {
            mapped = errors.apply(error);
        } catch (RuntimeException mappingFailed) {
            error.addSuppressed(mappingFailed);
            mapped = null;
        }
        return mapped != null ? mapped : internal(error);
    }

    private StatusRuntimeException internal(RuntimeException error) {
        LOGGER.log(Level.SEVERE, "internal error in " + service + ": " + error.getClass().getName(), error);
        return Status.INTERNAL.withDescription("internal error in " + service).asRuntimeException();
    }
}
