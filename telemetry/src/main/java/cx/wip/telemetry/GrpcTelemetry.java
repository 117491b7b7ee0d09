package cx.wip.telemetry;

import io.grpc.BindableService;
import io.grpc.ClientInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;

/** How a service is served and a channel is built observably; one line at each place that serves or calls. */
public final class GrpcTelemetry {
    private static final RequestIdClientInterceptor CLIENT = new RequestIdClientInterceptor();

    private GrpcTelemetry() {
    }

    /**
     * The service with request ids (outermost: the handler, metrics and access log run in the request's scope),
     * {@link GrpcServerMetrics} and {@link GrpcAccessLog}; register the result in place of the service.
     */
    public static ServerServiceDefinition observed(BindableService service) {
        return observed(service.bindService());
    }

    /** {@link #observed(BindableService)} for a service that carries interceptors of its own already. */
    public static ServerServiceDefinition observed(ServerServiceDefinition service) {
        // ServerInterceptors runs the last interceptor first
        return ServerInterceptors.intercept(service, Served.ACCESS_LOG, Served.METRICS, Served.REQUEST_IDS);
    }

    /** The interceptor every channel to a platform service carries ({@link GrpcChannels#open} adds it). */
    public static ClientInterceptor client() {
        return CLIENT;
    }

    /** The server side, made on first use: a process that only calls (wipctl) registers no server meters. */
    private static final class Served {
        static final GrpcServerMetrics METRICS = GrpcServerMetrics.create();
        static final GrpcAccessLog ACCESS_LOG = new GrpcAccessLog();
        static final RequestIdServerInterceptor REQUEST_IDS = new RequestIdServerInterceptor();
    }
}
