package cx.wip.ingress;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/**
 * The one place where ingress-service errors become gRPC statuses; {@code GrpcUnary} answers anything not named here
 * INTERNAL, with a generic description.
 */
final class Statuses {
    private Statuses() {
    }

    /** The status of one of ingress-service's own exceptions, with its message; null for any other. */
    static StatusRuntimeException of(RuntimeException error) {
        Status status = switch (error) {
            case InvalidLabelException e -> Status.INVALID_ARGUMENT;
            case HostTakenException e -> Status.ALREADY_EXISTS;
            case DomainUnverifiedException e -> Status.FAILED_PRECONDITION;
            case NoWakerException e -> Status.FAILED_PRECONDITION;
            case BackendException e -> Status.UNAVAILABLE;
            default -> null;
        };
        return status == null ? null : status.withDescription(error.getMessage()).withCause(error).asRuntimeException();
    }
}
