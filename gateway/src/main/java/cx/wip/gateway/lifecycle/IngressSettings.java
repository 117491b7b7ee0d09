package cx.wip.gateway.lifecycle;

import java.time.Duration;

import io.helidon.config.Config;

/**
 * The {@code gateway.ingress} section, read by {@link IngressReporter}.
 *
 * @param address       ingress-service gRPC address, {@code host:port}
 * @param timeout       deadline of one call (a label check on create, a report in the background)
 * @param queueCapacity reports waiting to be sent; beyond it reports are dropped (ingress-service's own event
 *                      stream and reconcile repair what a dropped report would have done)
 */
public record IngressSettings(String address, Duration timeout, int queueCapacity) {
    public IngressSettings {
        if (address == null || !address.contains(":")) {
            throw new IllegalArgumentException("gateway.ingress.address must be host:port, got '" + address + "'");
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("gateway.ingress.timeout must be positive");
        }
        if (queueCapacity < 1) {
            throw new IllegalArgumentException("gateway.ingress.queue-capacity must be >= 1");
        }
    }

    /** Reads {@code gateway.ingress}: pass the root config or that node itself. */
    public static IngressSettings create(Config config) {
        final Config ingress = config.get("gateway.ingress").exists() ? config.get("gateway.ingress") : config;
        return new IngressSettings(ingress.get("address").asString().orElse("127.0.0.1:9104"),
                                   ingress.get("timeout").as(Duration.class).orElse(Duration.ofSeconds(3)),
                                   ingress.get("queue-capacity").asInt().orElse(10_000));
    }
}
