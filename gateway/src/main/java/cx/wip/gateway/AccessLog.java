package cx.wip.gateway;

import java.time.Duration;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import cx.wip.gateway.daemon.DaemonConnection;
import cx.wip.gateway.proxy.Forwarder;

import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.Gauge;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.Metrics;
import io.helidon.metrics.api.Tag;
import io.helidon.metrics.api.Timer;

/**
 * One structured line per exchange (logger {@code cx.wip.gateway.access}) and the matching metrics. Labels are bounded:
 * route names from the route table, never raw paths, never credentials.
 */
final class AccessLog {
    private static final Logger LOG = Logger.getLogger("cx.wip.gateway.access");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final MeterRegistry registry = Metrics.globalRegistry();

    AccessLog() {
        registry.getOrCreate(Gauge.builder("wip_gateway_hijacked_open",
                Forwarder::openHijacked).description("hijacked connections open now"));
        registry.getOrCreate(Gauge.builder("wip_gateway_daemon_connections_open",
                DaemonConnection::openCount).description("daemon connections open now, pooled or in use"));
    }

    /**
     * @param tenant   tenant id, or "-" when unknown
     * @param route    route name, or "unknown"
     * @param bytesIn  request body bytes (client → daemon), -1 unknown
     * @param bytesOut response body bytes (daemon → client)
     */
    void record(String requestId, String tenant, String method, String route, int status, long bytesIn, long bytesOut,
                long nanos, boolean upgraded) {
        ObjectNode line = JSON.createObjectNode()
                .put("request", requestId)
                .put("tenant", tenant)
                .put("method", method)
                .put("route", route)
                .put("status", status)
                .put("in", bytesIn)
                .put("out", bytesOut)
                .put("ms", Math.round(nanos / 1e4) / 100.0)
                .put("upgrade", upgraded);
        LOG.log(Level.INFO, line.toString());
        String statusClass = (status / 100) + "xx";
        registry.getOrCreate(Counter.builder("wip_gateway_requests")
                .tags(List.of(Tag.create("route", route),
                        Tag.create("status", statusClass)))).increment();
        registry.getOrCreate(Counter.builder("wip_gateway_bytes_in")).increment(Math.max(0, bytesIn));
        registry.getOrCreate(Counter.builder("wip_gateway_bytes_out")).increment(Math.max(0, bytesOut));
        if (!upgraded) {
            registry.getOrCreate(Timer.builder("wip_gateway_request_duration")
                    .tags(List.of(Tag.create("route", route))))
                    .record(Duration.ofNanos(nanos));
        }
    }
}
