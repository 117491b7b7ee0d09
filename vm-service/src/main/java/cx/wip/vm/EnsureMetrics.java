package cx.wip.vm;

import io.grpc.ForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;

import cx.wip.proto.vm.v1.EnsureEndpointResponse;
import cx.wip.proto.vm.v1.VmServiceGrpc;
import cx.wip.telemetry.LabelledCounter;
import cx.wip.vm.boot.VmException;

/**
 * {@code wip_vm_ensure_total{result}} from what EnsureEndpoint answers: booted (this call started the daemon),
 * running (it was up), or the error kind that {@link VmErrors} put in the status (still_starting, failed, invalid,
 * lease_lost, error).
 */
final class EnsureMetrics implements ServerInterceptor {
    static final LabelledCounter ENSURES = LabelledCounter.create("wip_vm_ensure",
            "EnsureEndpoint calls by result", "result");

    @Override
    public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(ServerCall<ReqT, RespT> call, Metadata headers,
                                                                 ServerCallHandler<ReqT, RespT> next) {
        if (!call.getMethodDescriptor().getFullMethodName().equals(
                VmServiceGrpc.getEnsureEndpointMethod().getFullMethodName())) {
            return next.startCall(call, headers);
        }
        return next.startCall(new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
            @Override
            public void sendMessage(RespT message) {
                if (message instanceof EnsureEndpointResponse response) {
                    ENSURES.increment(response.getBooted() ? "booted" : "running");
                }
                super.sendMessage(message);
            }

            @Override
            public void close(Status status, Metadata trailers) {
                if (!status.isOk()) {
                    ENSURES.increment(result(status.getCause()));
                }
                super.close(status, trailers);
            }
        }, headers);
    }

    static String result(Throwable error) {
        return switch (error) {
            case VmException.StillStarting e -> "still_starting";
            case VmException.BootFailed e -> "failed";
            case VmException.InvalidTenant e -> "invalid";
            case VmException.LeaseLost e -> "lease_lost";
            case null, default -> "error";
        };
    }
}
