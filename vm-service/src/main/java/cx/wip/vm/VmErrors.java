package cx.wip.vm;

import java.util.logging.Level;
import java.util.logging.Logger;

import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.ProtoUtils;

import cx.wip.proto.vm.v1.Failure;
import cx.wip.proto.vm.v1.FailureReason;
import cx.wip.telemetry.RequestIds;
import cx.wip.vm.boot.VmException;

/**
 * The one place where vm-service errors become gRPC statuses. The gateway shows tenants what it reads here, so a
 * description is plain words and the request id, never the backend's detail (host paths, pids, addresses, dockerd's
 * log tail, Proxmox task ids): that detail is logged here, under the same request id. The reason travels as a
 * {@link Failure} trailer for programs to match. Descriptions are kept ASCII: Helidon's gRPC server writes
 * {@code grpc-message} without percent-encoding, and a character beyond Latin-1 arrived mangled. Every error has its
 * status here, an unexpected one too (INTERNAL with its reason and the request id), for {@code GrpcUnary} to answer.
 */
final class VmErrors {
    /** The trailer carrying the reason ({@code wip.vm.v1.failure-bin}). */
    static final Metadata.Key<Failure> FAILURE = ProtoUtils.keyForProto(Failure.getDefaultInstance());

    private static final Logger LOGGER = Logger.getLogger(VmErrors.class.getName());

    private VmErrors() {
    }

    static StatusRuntimeException toStatus(Throwable error) {
        return switch (error) {
            case VmException.StillStarting e -> status(Status.UNAVAILABLE, FailureReason.FAILURE_REASON_STILL_STARTING,
                    VmException.StillStarting.MESSAGE, e);
            case VmException.InvalidTenant e -> status(Status.INVALID_ARGUMENT,
                    FailureReason.FAILURE_REASON_INVALID_TENANT, e.getMessage(), e);
            case VmException.BootFailed e -> logged(Status.UNAVAILABLE, FailureReason.FAILURE_REASON_BOOT_FAILED,
                    "your environment could not be started", e);
            case VmException.LeaseLost e -> logged(Status.ABORTED, FailureReason.FAILURE_REASON_LEASE_LOST,
                    "the start of your environment was taken over by another replica - retry in a moment", e);
            default -> logged(Status.INTERNAL, FailureReason.FAILURE_REASON_INTERNAL, "vm-service failed", error);
        };
    }

    private static StatusRuntimeException logged(Status status, FailureReason reason, String plain, Throwable error) {
        LOGGER.log(Level.WARNING, plain + " (" + status.getCode() + "): " + error.getMessage(), error);
        return status(status, reason, plain + " (" + reference() + ")", error);
    }

    private static StatusRuntimeException status(Status status, FailureReason reason, String description,
                                                 Throwable error) {
        Metadata trailers = new Metadata();
        trailers.put(FAILURE, Failure.newBuilder().setReason(reason).build());
        return status.withDescription(ascii(description)).withCause(error).asRuntimeException(trailers);
    }

    /** What a tenant can quote to the operator, who finds the detail in the logs. */
    private static String reference() {
        return RequestIds.requestId().map(id -> "request id " + id + "; the operator can look it up")
                .orElse("the operator can find the detail in vm-service's log");
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
