package cx.wip.telemetry;

import io.grpc.BindableService;
import io.grpc.ClientInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;

/** How a service is served and a channel is built observably; one line at each place that serves or calls. */
public final class GrpcTelemetry {
    private static final GrpcServerMetrics METRICS = GrpcServerMetrics.create();
    private static final GrpcAccessLog ACCESS_LOG = new GrpcAccessLog();
    private static final RequestIdServerInterceptor REQUEST_IDS = new RequestIdServerInterceptor();
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
        return ServerInterceptors.intercept(service, ACCESS_LOG, METRICS, REQUEST_IDS);
    }

    /** The interceptor every channel to a platform service carries ({@code builder.intercept(...)}). */
    public static ClientInterceptor client() {
        return CLIENT;
    }
}
