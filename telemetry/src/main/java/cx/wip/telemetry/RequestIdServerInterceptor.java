package cx.wip.telemetry;

import io.grpc.Context;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;

/**
 * Takes the request id and tenant id from incoming metadata (a fresh request id when absent or not sane) and runs
 * the call in their scope: every listener callback (where the handler runs) sees them in the gRPC {@link Context}
 * and in the MDC. Helidon's gRPC server calls the listener without attaching a context of its own, so the scope is
 * entered around each callback here, on whichever thread runs it.
 */
public final class RequestIdServerInterceptor implements ServerInterceptor {
    @Override
    public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(ServerCall<ReqT, RespT> call, Metadata headers,
                                                                 ServerCallHandler<ReqT, RespT> next) {
        RequestIds.Ids ids = new RequestIds.Ids(
                RequestIds.sane(headers.get(RequestIds.REQUEST_ID_HEADER)).orElseGet(RequestIds::newId),
                RequestIds.sane(headers.get(RequestIds.TENANT_HEADER)).orElse(null));
        Context context = Context.current().withValue(RequestIds.IDS, ids);
        ServerCall.Listener<ReqT> listener;
        try (RequestIds.Scope ignored = RequestIds.Scope.open(context, ids)) {
            listener = next.startCall(call, headers);
        }
        return new Scoped<>(listener, context, ids);
    }

    private static final class Scoped<ReqT> extends ForwardingServerCallListener.SimpleForwardingServerCallListener<ReqT> {
        private final Context context;
        private final RequestIds.Ids ids;

        Scoped(ServerCall.Listener<ReqT> delegate, Context context, RequestIds.Ids ids) {
            super(delegate);
            this.context = context;
            this.ids = ids;
        }

        @Override
        public void onMessage(ReqT message) {
            try (RequestIds.Scope ignored = RequestIds.Scope.open(context, ids)) {
                super.onMessage(message);
            }
        }

        @Override
        public void onHalfClose() {
            try (RequestIds.Scope ignored = RequestIds.Scope.open(context, ids)) {
                super.onHalfClose();
            }
        }

        @Override
        public void onCancel() {
            try (RequestIds.Scope ignored = RequestIds.Scope.open(context, ids)) {
                super.onCancel();
            }
        }

        @Override
        public void onComplete() {
            try (RequestIds.Scope ignored = RequestIds.Scope.open(context, ids)) {
                super.onComplete();
            }
        }

        @Override
        public void onReady() {
            try (RequestIds.Scope ignored = RequestIds.Scope.open(context, ids)) {
                super.onReady();
            }
        }
    }
}
