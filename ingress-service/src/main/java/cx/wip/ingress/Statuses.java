package cx.wip.ingress;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/** The one place where ingress-service errors become gRPC statuses. */
final class Statuses {
    private Statuses() {
    }

    static StatusRuntimeException of(RuntimeException error) {
        Status status = switch (error) {
            case InvalidLabelException e -> Status.INVALID_ARGUMENT;
            case HostTakenException e -> Status.ALREADY_EXISTS;
            case DomainUnverifiedException e -> Status.FAILED_PRECONDITION;
            case NoWakerException e -> Status.FAILED_PRECONDITION;
            case BackendException e -> Status.UNAVAILABLE;
            default -> Status.INTERNAL;
        };
        return status.withDescription(error.getMessage()).withCause(error).asRuntimeException();
    }
}
