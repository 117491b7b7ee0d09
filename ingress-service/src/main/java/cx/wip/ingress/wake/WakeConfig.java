package cx.wip.ingress.wake;

import cx.wip.ingress.WakePath;
import cx.wip.telemetry.GrpcClientConfig;

import io.helidon.config.Config;

import java.time.Duration;

/**
 * How ingress-service takes part in sleeping engines ({@code ingress.vm}, {@code ingress.wake}, {@code ingress.hits}).
 *
 * @param vm             the channel to vm-service: its {@code host:port} (empty: no wake path, routes behave as without
 *                       sleep), the deadline of a status question, keepalive
 * @param ensureTimeout  how long a held request waits for its engine to wake
 * @param reportInterval how often the tenants whose routes served requests are reported to vm-service
 * @param wakeHost       address the waker listens on (only the route backend may reach it)
 * @param wakePort       its port
 * @param wakeUpstream   {@code host:port} the route backend dials to reach the waker
 * @param acceptTimeout  after a wake, how long the app's port may take to accept a connection
 * @param maxHeld        requests held at once; more are answered 503 at once
 * @param hitsHost       address the hit log listens on (access log lines from the route backend)
 * @param hitsPort       its port
 * @param hitsAddress    {@code host:port} the route backend writes its access log to; empty: no hit log
 * @param hitsFile       an access log file to follow as well (Traefik's JSON access log); empty: none
 */
public record WakeConfig(GrpcClientConfig vm, Duration ensureTimeout, Duration reportInterval, String wakeHost,
                         int wakePort, String wakeUpstream, Duration acceptTimeout, int maxHeld, String hitsHost,
                         int hitsPort, String hitsAddress, String hitsFile) {
    public WakeConfig {
        if (maxHeld < 1) {
            throw new IllegalArgumentException("ingress.wake.max-held must be at least 1, got " + maxHeld);
        }
        if (enabled(vm) && wakeUpstream.isEmpty()) {
            throw new IllegalArgumentException("ingress.wake.upstream must say how the route backend reaches the waker");
        }
        path(wakeUpstream, hitsAddress);
    }

    /** @param ingress the {@code ingress} section */
    public static WakeConfig create(Config ingress) {
        Config vm = ingress.get("vm");
        Config wake = ingress.get("wake");
        Config hits = ingress.get("hits");
        return new WakeConfig(GrpcClientConfig.create(vm, "", Duration.ofSeconds(3)),
                vm.get("ensure-timeout").as(Duration.class).orElse(Duration.ofSeconds(20)),
                vm.get("report-interval").as(Duration.class).orElse(Duration.ofSeconds(10)),
                wake.get("host").asString().orElse("127.0.0.1"),
                wake.get("port").asInt().orElse(9115),
                wake.get("upstream").asString().orElse("127.0.0.1:9115"),
                wake.get("accept-timeout").as(Duration.class).orElse(Duration.ofSeconds(10)),
                wake.get("max-held").asInt().orElse(1000),
                hits.get("host").asString().orElse("127.0.0.1"),
                hits.get("port").asInt().orElse(9116),
                hits.get("address").asString().orElse("127.0.0.1:9116"),
                hits.get("file").asString().orElse(""));
    }

    /** @return true when vm-service is configured: the waker and the hit log run */
    public boolean enabled() {
        return enabled(vm);
    }

    private static boolean enabled(GrpcClientConfig vm) {
        return !vm.address().isEmpty();
    }

    /** @return what the route backends are told */
    public WakePath path() {
        return enabled() ? path(wakeUpstream, hitsAddress) : WakePath.NONE;
    }

    private static WakePath path(String waker, String hits) {
        return new WakePath(waker, hits);
    }
}
