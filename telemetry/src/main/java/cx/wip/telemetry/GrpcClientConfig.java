package cx.wip.telemetry;

import java.time.Duration;
import java.util.Objects;

import io.helidon.config.Config;

/**
 * How one gRPC client reaches its service, read from the client's own config section ({@code gateway.auth},
 * {@code vm.policy}, ...) by {@link #create(Config, String, Duration)}; {@link GrpcChannels#open} builds the channel.
 *
 * @param address               the service's {@code host:port} (any gRPC target)
 * @param timeout               deadline of one call (a client with longer calls names those separately)
 * @param keepAliveTime         a connection quiet this long is pinged (grpc raises anything below 10 s to 10 s)
 * @param keepAliveTimeout      a ping unanswered this long marks the connection dead: calls fail over at once
 * @param keepAliveWithoutCalls whether idle connections are pinged too, so readiness notices a dead peer before a call
 * @param maxMessageSize        the largest answer accepted, in bytes
 */
public record GrpcClientConfig(String address,
                               Duration timeout,
                               Duration keepAliveTime,
                               Duration keepAliveTimeout,
                               boolean keepAliveWithoutCalls,
                               int maxMessageSize) {
    /** {@code keepalive.time} unless configured. */
    public static final Duration KEEPALIVE_TIME = Duration.ofSeconds(30);
    /** {@code keepalive.timeout} unless configured. */
    public static final Duration KEEPALIVE_TIMEOUT = Duration.ofSeconds(10);
    /** {@code max-message-size} unless configured: grpc's own default, 4 MiB. */
    public static final int MAX_MESSAGE_SIZE = 4 * 1024 * 1024;

    public GrpcClientConfig {
        Objects.requireNonNull(address, "address");
        positive("timeout", timeout);
        positive("keepalive.time", keepAliveTime);
        positive("keepalive.timeout", keepAliveTimeout);
        if (maxMessageSize < 1) {
            throw new IllegalArgumentException("max-message-size must be at least 1 byte, got " + maxMessageSize);
        }
    }

    /** {@code address} with {@code timeout} and the default keepalive and message size (a client without config). */
    public static GrpcClientConfig of(String address, Duration timeout) {
        return new GrpcClientConfig(address, timeout, KEEPALIVE_TIME, KEEPALIVE_TIMEOUT, true, MAX_MESSAGE_SIZE);
    }

    /**
     * Reads one client's section: {@code address}, {@code timeout}, {@code keepalive.time}, {@code keepalive.timeout},
     * {@code keepalive.without-calls}, {@code max-message-size}; a key left out takes the client's default (address,
     * timeout) or the shared one. A value out of range fails naming the section.
     */
    public static GrpcClientConfig create(Config section, String defaultAddress, Duration defaultTimeout) {
        try {
            return new GrpcClientConfig(section.get("address").asString().orElse(defaultAddress),
                    section.get("timeout").as(Duration.class).orElse(defaultTimeout),
                    section.get("keepalive.time").as(Duration.class).orElse(KEEPALIVE_TIME),
                    section.get("keepalive.timeout").as(Duration.class).orElse(KEEPALIVE_TIMEOUT),
                    section.get("keepalive.without-calls").asBoolean().orElse(true),
                    section.get("max-message-size").asInt().orElse(MAX_MESSAGE_SIZE));
        } catch (IllegalArgumentException e) {
            String name = section.key().toString();
            throw name.isEmpty() ? e : new IllegalArgumentException(name + "." + e.getMessage(), e);
        }
    }

    private static void positive(String key, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(key + " must be positive, got " + value);
        }
    }
}
