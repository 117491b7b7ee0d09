package cx.wip.telemetry;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Optional;

import io.helidon.logging.common.HelidonMdc;

/** The values both log formats share, read on the thread that logs. */
final class LogFields {
    private LogFields() {
    }

    /** The MDC copy first (set where the request's scope was entered), else the gRPC context. */
    static Optional<String> requestId() {
        Optional<String> mdc = HelidonMdc.get(RequestIds.MDC_REQUEST_ID);
        return mdc.isPresent() ? mdc : RequestIds.requestId();
    }

    static Optional<String> tenant() {
        Optional<String> mdc = HelidonMdc.get(RequestIds.MDC_TENANT);
        return mdc.isPresent() ? mdc : RequestIds.tenant();
    }

    /** The thread's name; virtual threads are usually unnamed, so their id stands in. */
    static String thread() {
        Thread thread = Thread.currentThread();
        return thread.getName().isEmpty() ? (thread.isVirtual() ? "virtual-" : "thread-") + thread.threadId()
                : thread.getName();
    }

    /** Exception class, message, stack and causes, as {@link Throwable#printStackTrace()} writes them. */
    static String stack(Throwable error) {
        StringWriter stack = new StringWriter();
        error.printStackTrace(new PrintWriter(stack));
        return stack.toString().stripTrailing();
    }
}
