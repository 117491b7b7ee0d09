package cx.wip.telemetry;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

import io.grpc.ForwardingServerCall;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;

/**
 * One line per gRPC call served (logger {@code cx.wip.grpc.access}, INFO): method, status code, duration — written
 * where the call closes (or is cancelled by its client: {@code CANCELLED}), in the request's scope, so the line
 * carries its request id and tenant. Never the messages (they may hold credentials) nor the status description.
 */
public final class GrpcAccessLog implements ServerInterceptor {
    private static final Logger LOG = Logger.getLogger("cx.wip.grpc.access");

    @Override
    public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(ServerCall<ReqT, RespT> call, Metadata headers,
                                                                 ServerCallHandler<ReqT, RespT> next) {
        if (!LOG.isLoggable(Level.INFO)) {
            return next.startCall(call, headers);
        }
        long start = System.nanoTime();
        String method = call.getMethodDescriptor().getFullMethodName();
        AtomicBoolean logged = new AtomicBoolean();
        ServerCall.Listener<ReqT> listener = next.startCall(new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
            @Override
            public void close(Status status, Metadata trailers) {
                if (logged.compareAndSet(false, true)) {
                    LOG.info(line(method, status.getCode(), System.nanoTime() - start));
                }
                super.close(status, trailers);
            }
        }, headers);
        return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(listener) {
            @Override
            public void onCancel() {
                if (logged.compareAndSet(false, true)) {
                    LOG.info(line(method, Status.Code.CANCELLED, System.nanoTime() - start));
                }
                super.onCancel();
            }
        };
    }

    static String line(String method, Status.Code code, long nanos) {
        return "grpc " + method + " " + code.name() + " " + Math.round(nanos / 1e4) / 100.0 + " ms";
    }
}
