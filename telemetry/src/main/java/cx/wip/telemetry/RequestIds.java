package cx.wip.telemetry;

import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

import io.grpc.Context;
import io.grpc.Metadata;
import io.helidon.logging.common.HelidonMdc;

/**
 * The request id and tenant id of the work in progress. The gRPC {@link Context} is the source of truth (it follows
 * the work across gRPC calls and, wrapped, across threads); Helidon's MDC holds a copy on the thread that runs the
 * work, for the log formatter. Ids that arrive from outside are used only when sane (1-64 of {@code [A-Za-z0-9._-]}),
 * so a log line or header can never be forged through them.
 */
public final class RequestIds {
    /** gRPC metadata carrying the request id. */
    public static final Metadata.Key<String> REQUEST_ID_HEADER =
            Metadata.Key.of("x-request-id", Metadata.ASCII_STRING_MARSHALLER);
    /** gRPC metadata carrying the tenant id. */
    public static final Metadata.Key<String> TENANT_HEADER =
            Metadata.Key.of("x-wip-tenant", Metadata.ASCII_STRING_MARSHALLER);
    /** MDC key (and JSON log field) of the request id. */
    public static final String MDC_REQUEST_ID = "request_id";
    /** MDC key (and JSON log field) of the tenant id. */
    public static final String MDC_TENANT = "tenant";

    static final Context.Key<Ids> IDS = Context.key("wip-request-ids");
    private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private RequestIds() {
    }

    /** The current request id, if the work runs in a request's scope. */
    public static Optional<String> requestId() {
        Ids ids = IDS.get();
        return ids == null ? Optional.empty() : Optional.of(ids.requestId());
    }

    /** The current tenant id, once known. */
    public static Optional<String> tenant() {
        Ids ids = IDS.get();
        return ids == null ? Optional.empty() : Optional.ofNullable(ids.tenant());
    }

    /** The candidate if it may serve as an id (1-64 of {@code [A-Za-z0-9._-]}), else empty. */
    public static Optional<String> sane(String candidate) {
        return candidate != null && SANE.matcher(candidate).matches() ? Optional.of(candidate) : Optional.empty();
    }

    /** A fresh request id: 32 hex digits. Ids correlate log lines; they need not be unguessable. */
    public static String newId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return Long.toHexString(random.nextLong() | Long.MIN_VALUE) + Long.toHexString(random.nextLong() | Long.MIN_VALUE);
    }

    /**
     * Runs what follows on this thread in the scope of a request until the scope is closed (try-with-resources).
     *
     * @param requestId the request id (used as given: check foreign ids with {@link #sane(String)} first)
     * @param tenant    the tenant id, or null while unknown (see {@link #tenant(String)})
     */
    public static Scope enter(String requestId, String tenant) {
        Ids ids = new Ids(requestId, tenant);
        return Scope.open(Context.current().withValue(IDS, ids), ids);
    }

    /** Names the tenant of the current request once it is known (no effect outside a request's scope). */
    public static void tenant(String tenantId) {
        Ids ids = IDS.get();
        if (ids != null && tenantId != null) {
            ids.tenant(tenantId);
            HelidonMdc.set(MDC_TENANT, tenantId);
        }
    }

    /** The ids of one request; the tenant is learnt after the request id (authentication comes first). */
    static final class Ids {
        private final String requestId;
        private volatile String tenant;

        Ids(String requestId, String tenant) {
            this.requestId = requestId;
            this.tenant = tenant;
        }

        String requestId() {
            return requestId;
        }

        String tenant() {
            return tenant;
        }

        void tenant(String tenant) {
            this.tenant = tenant;
        }
    }

    /** A request's scope on one thread: the attached gRPC context and the MDC entries, restored on close. */
    public static final class Scope implements AutoCloseable {
        private final Context attached;
        private final Context previous;
        private final Optional<String> previousRequestId;
        private final Optional<String> previousTenant;

        private Scope(Context attached, Context previous, Optional<String> previousRequestId,
                      Optional<String> previousTenant) {
            this.attached = attached;
            this.previous = previous;
            this.previousRequestId = previousRequestId;
            this.previousTenant = previousTenant;
        }

        static Scope open(Context context, Ids ids) {
            Optional<String> requestId = HelidonMdc.get(MDC_REQUEST_ID);
            Optional<String> tenant = HelidonMdc.get(MDC_TENANT);
            HelidonMdc.set(MDC_REQUEST_ID, ids.requestId());
            if (ids.tenant() != null) {
                HelidonMdc.set(MDC_TENANT, ids.tenant());
            } else {
                HelidonMdc.remove(MDC_TENANT);
            }
            return new Scope(context, context.attach(), requestId, tenant);
        }

        @Override
        public void close() {
            attached.detach(previous);
            restore(MDC_REQUEST_ID, previousRequestId);
            restore(MDC_TENANT, previousTenant);
        }

        private static void restore(String key, Optional<String> value) {
            if (value.isPresent()) {
                HelidonMdc.set(key, value.get());
            } else {
                HelidonMdc.remove(key);
            }
        }
    }
}
