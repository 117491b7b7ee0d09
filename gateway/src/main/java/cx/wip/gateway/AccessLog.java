package cx.wip.gateway;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

import com.fasterxml.jackson.core.io.JsonStringEncoder;

import cx.wip.docker.DaemonConnection;
import cx.wip.gateway.proxy.Forwarder;

import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.Gauge;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.Metrics;
import io.helidon.metrics.api.Tag;
import io.helidon.metrics.api.Timer;

/**
 * One structured line per exchange (logger {@code cx.wip.gateway.access}) and the matching metrics. Labels are bounded:
 * route names from the route table and status classes, never raw paths, never credentials. Meters are looked up once
 * per label set, not per request: this runs on every request.
 */
final class AccessLog {
    private static final Logger LOG = Logger.getLogger("cx.wip.gateway.access");
    private static final JsonStringEncoder JSON = JsonStringEncoder.getInstance();

    private final MeterRegistry registry = Metrics.globalRegistry();
    private final Map<String, Counter> requests = new ConcurrentHashMap<>();
    private final Map<String, Timer> durations = new ConcurrentHashMap<>();
    private final Counter bytesIn;
    private final Counter bytesOut;

    AccessLog() {
        registry.getOrCreate(Gauge.builder("wip_gateway_hijacked_open",
                Forwarder::openHijacked).description("hijacked connections open now"));
        registry.getOrCreate(Gauge.builder("wip_gateway_daemon_connections_open",
                DaemonConnection::openCount).description("daemon connections open now, pooled or in use"));
        bytesIn = registry.getOrCreate(Counter.builder("wip_gateway_bytes_in").description("request body bytes"));
        bytesOut = registry.getOrCreate(Counter.builder("wip_gateway_bytes_out").description("response body bytes"));
    }

    /**
     * @param tenant   tenant id, or "-" when unknown
     * @param client   the client's address ({@link ClientAddress}: the PROXY header's source behind a proxy)
     * @param route    route name, or "unknown"
     * @param bytesIn  request body bytes (client → daemon), -1 unknown
     * @param bytesOut response body bytes (daemon → client)
     */
    void record(String requestId, String tenant, String client, String method, String route, int status, long bytesIn,
                long bytesOut, long nanos, boolean upgraded) {
        if (LOG.isLoggable(Level.INFO)) {
            LOG.log(Level.INFO, new StringBuilder(192)
                    .append("{\"request\":\"").append(JSON.quoteAsString(requestId))
                    .append("\",\"tenant\":\"").append(JSON.quoteAsString(tenant))
                    .append("\",\"client\":\"").append(JSON.quoteAsString(client))
                    .append("\",\"method\":\"").append(JSON.quoteAsString(method))
                    .append("\",\"route\":\"").append(route)
                    .append("\",\"status\":").append(status)
                    .append(",\"in\":").append(bytesIn)
                    .append(",\"out\":").append(bytesOut)
                    .append(",\"ms\":").append(Math.round(nanos / 1e4) / 100.0)
                    .append(",\"upgrade\":").append(upgraded)
                    .append('}').toString());
        }
        String statusClass = (status / 100) + "xx";
        requests.computeIfAbsent(route + ' ' + statusClass, key -> registry.getOrCreate(
                Counter.builder("wip_gateway_requests")
                        .tags(List.of(Tag.create("route", route), Tag.create("status", statusClass))))).increment();
        this.bytesIn.increment(Math.max(0, bytesIn));
        this.bytesOut.increment(Math.max(0, bytesOut));
        if (!upgraded) {
            durations.computeIfAbsent(route, key -> registry.getOrCreate(Timer.builder("wip_gateway_request_duration")
                    .tags(List.of(Tag.create("route", route))))).record(Duration.ofNanos(nanos));
        }
    }
}
