package cx.wip.gateway;

import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import cx.wip.gateway.proxy.Carriage;
import cx.wip.gateway.review.Operation;
import cx.wip.gateway.review.RedactedKind;

/**
 * One endpoint of the Docker Engine API the gateway serves, and how.
 *
 * @param name      stable name for logs and metrics (bounded: never a raw path)
 * @param methods   HTTP methods served
 * @param patterns  paths without the {@code /v1.NN} prefix (one route may serve several alike)
 * @param kind      how the exchange is carried
 * @param review    the policy review the body/query gets first, or null
 * @param lifecycle container lifecycle action reported to ingress on success, or null
 * @param redact    the host details hidden from the daemon's answer, or null
 * @param refusal   when set, the gateway answers this error itself and nothing reaches a daemon
 */
record Route(String name, Set<String> methods, List<PathPattern> patterns, Carriage kind, Operation review, String lifecycle,
             RedactedKind redact, GatewayException refusal) {

    /** @param paths one or more paths, separated by spaces */
    static Route of(String methods, String paths, String name) {
        return new Route(name, Set.of(methods.split(" ")), Stream.of(paths.split(" ")).map(PathPattern::of).toList(),
                Carriage.FORWARD, null, null, null, null);
    }

    Route stream() {
        return new Route(name, methods, patterns, Carriage.STREAM, review, lifecycle, redact, refusal);
    }

    Route hijack() {
        return new Route(name, methods, patterns, Carriage.HIJACK, review, lifecycle, redact, refusal);
    }

    Route reviewed(Operation operation) {
        return new Route(name, methods, patterns, kind, operation, lifecycle, redact, refusal);
    }

    Route lifecycle(String action) {
        return new Route(name, methods, patterns, kind, review, action, redact, refusal);
    }

    Route redacted(RedactedKind redaction) {
        return new Route(name, methods, patterns, kind, review, lifecycle, redaction, refusal);
    }

    Route refused(int status, String message) {
        return new Route(name, methods, patterns, kind, review, lifecycle, redact, new GatewayException(status, message));
    }
}
