package cx.wip.telemetry;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import io.grpc.ForwardingServerCall;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;

/**
 * Counts every gRPC call by service, method and status code ({@code wip_grpc_server_requests_total}) and times it
 * by service and method ({@code wip_grpc_server_duration_seconds}). Labels come from the method descriptor of a
 * registered method and from the status code enum: bounded by construction.
 */
public final class GrpcServerMetrics implements ServerInterceptor {
    private final LabelledCounter requests;
    private final LabelledTimer durations;

    GrpcServerMetrics(LabelledCounter requests, LabelledTimer durations) {
        this.requests = requests;
        this.durations = durations;
    }

    /** Meters in Helidon's global registry (served by {@code /observe/metrics}). */
    public static GrpcServerMetrics create() {
        return new GrpcServerMetrics(
                LabelledCounter.create("wip_grpc_server_requests", "gRPC calls served", "service", "method", "code"),
                LabelledTimer.create("wip_grpc_server_duration", "gRPC call duration", "service", "method"));
    }

    @Override
    public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(ServerCall<ReqT, RespT> call, Metadata headers,
                                                                 ServerCallHandler<ReqT, RespT> next) {
        Outcome outcome = new Outcome(call.getMethodDescriptor(), System.nanoTime());
        ServerCall.Listener<ReqT> listener = next.startCall(
                new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
                    @Override
                    public void close(Status status, Metadata trailers) {
                        outcome.record(status.getCode());
                        super.close(status, trailers);
                    }
                }, headers);
        return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(listener) {
            @Override
            public void onCancel() {
                outcome.record(Status.Code.CANCELLED);
                super.onCancel();
            }
        };
    }

    /** One call's first ending (close, or a cancel without close) is what counts. */
    private final class Outcome {
        private final String service;
        private final String method;
        private final long start;
        private final AtomicBoolean recorded = new AtomicBoolean();

        Outcome(MethodDescriptor<?, ?> descriptor, long start) {
            this.service = String.valueOf(descriptor.getServiceName());
            this.method = String.valueOf(descriptor.getBareMethodName());
            this.start = start;
        }

        void record(Status.Code code) {
            if (recorded.compareAndSet(false, true)) {
                requests.increment(service, method, code.name());
                durations.record(Duration.ofNanos(System.nanoTime() - start), service, method);
            }
        }
    }
}
