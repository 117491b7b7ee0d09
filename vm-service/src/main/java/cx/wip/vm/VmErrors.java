package cx.wip.vm;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;

import cx.wip.vm.boot.VmException;

/** The one place where vm-service errors become gRPC statuses; the gateway shows the description to the user. */
final class VmErrors {
    private VmErrors() {
    }

    static StatusRuntimeException toStatus(Throwable error) {
        Status status = switch (error) {
            case VmException.StillStarting e -> Status.UNAVAILABLE.withDescription(e.getMessage());
            case VmException.InvalidTenant e -> Status.INVALID_ARGUMENT.withDescription(e.getMessage());
            case VmException.BootFailed e -> Status.UNAVAILABLE.withDescription(e.getMessage());
            case VmException.LeaseLost e -> Status.ABORTED.withDescription(e.getMessage());
            case VmException e -> Status.INTERNAL.withDescription(e.getMessage());
            default -> Status.INTERNAL.withDescription("vm-service failed: " + error);
        };
        return status.withCause(error).asRuntimeException();
    }
}
