package cx.wip.telemetry;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;

/**
 * Sends the current request id and tenant id (see {@link RequestIds}) as metadata on every call made through the
 * channel. They are read when the call is made, on the caller's thread: work that hops threads must carry the gRPC
 * context along ({@code Context.current().wrap(...)}).
 */
public final class RequestIdClientInterceptor implements ClientInterceptor {
    @Override
    public <ReqT, RespT> ClientCall<ReqT, RespT> interceptCall(MethodDescriptor<ReqT, RespT> method,
                                                               CallOptions callOptions, Channel next) {
        String requestId = RequestIds.requestId().orElse(null);
        String tenant = RequestIds.tenant().orElse(null);
        return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, callOptions)) {
            @Override
            public void start(Listener<RespT> responseListener, Metadata headers) {
                if (requestId != null) {
                    headers.put(RequestIds.REQUEST_ID_HEADER, requestId);
                }
                if (tenant != null) {
                    headers.put(RequestIds.TENANT_HEADER, tenant);
                }
                super.start(responseListener, headers);
            }
        };
    }
}
