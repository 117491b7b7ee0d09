package cx.wip.gateway.lifecycle;

import java.time.Duration;

import cx.wip.telemetry.GrpcClientConfig;

import io.helidon.config.Config;

/**
 * The {@code gateway.ingress} section, read by {@link IngressReporter}.
 *
 * @param grpc          the channel to ingress-service: its {@code host:port}, the deadline of one call (a label check
 *                      on create, a report in the background), keepalive
 * @param queueCapacity reports waiting to be sent; beyond it reports are dropped (ingress-service's own event
 *                      stream and reconcile repair what a dropped report would have done)
 */
public record IngressSettings(GrpcClientConfig grpc, int queueCapacity) {
    public IngressSettings {
        if (!grpc.address().contains(":")) {
            throw new IllegalArgumentException("gateway.ingress.address must be host:port, got '" + grpc.address() + "'");
        }
        if (queueCapacity < 1) {
            throw new IllegalArgumentException("gateway.ingress.queue-capacity must be >= 1");
        }
    }

    /** Reads {@code gateway.ingress}: pass the root config or that node itself. */
    public static IngressSettings create(Config config) {
        final Config ingress = config.get("gateway.ingress").exists() ? config.get("gateway.ingress") : config;
        return new IngressSettings(GrpcClientConfig.create(ingress, "127.0.0.1:9104", Duration.ofSeconds(3)),
                                   ingress.get("queue-capacity").asInt().orElse(10_000));
    }

    /** ingress-service's {@code host:port}. */
    public String address() {
        return grpc.address();
    }

    /** The deadline of one call. */
    public Duration timeout() {
        return grpc.timeout();
    }
}
