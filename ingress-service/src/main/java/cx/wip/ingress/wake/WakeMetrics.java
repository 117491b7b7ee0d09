package cx.wip.ingress.wake;

import cx.wip.telemetry.LabelledCounter;

import io.helidon.metrics.api.Gauge;
import io.helidon.metrics.api.Metrics;
import io.helidon.metrics.api.Timer;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The waker measured: {@code wip_ingress_wakes_total{outcome}} (woken, awake, refused, failed, timeout — one per
 * shared wake), {@code wip_ingress_held_requests_total{outcome}} (relayed, unknown_host, bad_request, refused,
 * failed, timeout, too_many), {@code wip_ingress_held_requests_now} and the histogram
 * {@code wip_ingress_wake_wait_seconds}: from a held request's arrival to its app accepting the connection.
 */
final class WakeMetrics {
    static final LabelledCounter WAKES = LabelledCounter.create("wip_ingress_wakes",
            "engine wakes asked by held HTTP requests, by outcome", "outcome");
    static final LabelledCounter HELD = LabelledCounter.create("wip_ingress_held_requests",
            "HTTP requests that reached the waker, by outcome", "outcome");
    static final AtomicInteger HELD_NOW = new AtomicInteger();
    private static final Timer WAIT = Metrics.globalRegistry().getOrCreate(Timer.builder("wip_ingress_wake_wait")
            .description("from a held request's arrival until its app accepted the connection")
            .buckets(Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
                    Duration.ofMillis(1500), Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(10),
                    Duration.ofSeconds(30)));

    static {
        Metrics.globalRegistry().getOrCreate(Gauge.builder("wip_ingress_held_requests_now", HELD_NOW::get)
                .description("HTTP requests the waker holds now"));
    }

    private WakeMetrics() {
    }

    static void waited(Duration wait) {
        WAIT.record(wait);
    }

    static long waits() {
        return WAIT.count();
    }
}
