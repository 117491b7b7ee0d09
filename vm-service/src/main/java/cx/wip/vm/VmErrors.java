package cx.wip.vm;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;

import cx.wip.vm.boot.VmException;

/**
 * The one place where vm-service errors become gRPC statuses; the gateway shows the description to the user.
 * Descriptions are kept ASCII: Helidon's gRPC server writes {@code grpc-message} without percent-encoding, and a
 * character beyond Latin-1 (the dash in "still starting — retry") arrived mangled.
 */
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
        return status.withDescription(ascii(status.getDescription())).withCause(error).asRuntimeException();
    }

    static String ascii(String text) {
        if (text == null) {
            return null;
        }
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(c -> out.append(c == 0x2014 || c == 0x2013 ? '-'
                                                  : c < 0x20 || c > 0x7e ? '?'
                                                  : (char) c));
        return out.toString();
    }
}
