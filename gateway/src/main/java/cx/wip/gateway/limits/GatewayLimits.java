package cx.wip.gateway.limits;

import java.time.Duration;

import io.helidon.config.Config;

/**
 * Section {@code gateway.limits}; validated on creation.
 *
 * @param inFlight          plain requests one tenant may have in the gateway at once
 * @param hijacked          hijacked sessions (attach, exec, BuildKit session/grpc) one tenant may hold open
 * @param streams           long streams (events, logs -f, wait, stats, build, load/save…) one tenant may hold open
 * @param bufferBytes       bytes the whole gateway may hold in memory for reviewed bodies, rewritten answers and
 *                          retry copies
 * @param tenantBufferBytes the share of that one tenant may hold
 * @param headTimeout       a connection that has not sent a whole request head within this is closed
 * @param idleTimeout       a keep-alive connection without any request for this long is closed
 * @param quotaWait         how long a container create or update waits while another one of the same tenant is being
 *                          decided (then 503 "retry")
 * @param usageTimeout      how long reading a tenant's usage from its daemon may take (then 503: never unchecked)
 */
public record GatewayLimits(int inFlight, int hijacked, int streams, long bufferBytes, long tenantBufferBytes,
                            Duration headTimeout, Duration idleTimeout, Duration quotaWait, Duration usageTimeout) {
    public static final GatewayLimits DEFAULTS = new GatewayLimits(64, 32, 64, 64L << 20, 16L << 20,
            Duration.ofSeconds(10), Duration.ofMinutes(5), Duration.ofSeconds(10), Duration.ofSeconds(2));

    /** Limits with the default quota wait and usage timeout. */
    public GatewayLimits(int inFlight, int hijacked, int streams, long bufferBytes, long tenantBufferBytes,
                         Duration headTimeout, Duration idleTimeout) {
        this(inFlight, hijacked, streams, bufferBytes, tenantBufferBytes, headTimeout, idleTimeout,
                Duration.ofSeconds(10), Duration.ofSeconds(2));
    }

    public GatewayLimits {
        if (inFlight < 1 || hijacked < 1 || streams < 1) {
            throw new IllegalArgumentException("gateway.limits: in-flight, hijacked and streams must be at least 1");
        }
        // one reviewed body (1 MiB) and one rewritten answer (8 MiB) must fit in a tenant's share
        if (tenantBufferBytes < 9L << 20 || bufferBytes < tenantBufferBytes) {
            throw new IllegalArgumentException("gateway.limits: tenant-buffer-bytes must be at least 9 MiB and at most "
                    + "buffer-bytes");
        }
        if (headTimeout.isNegative() || headTimeout.isZero() || idleTimeout.compareTo(headTimeout) < 0) {
            throw new IllegalArgumentException("gateway.limits: head-timeout must be positive and at most idle-timeout");
        }
        if (!quotaWait.isPositive() || !usageTimeout.isPositive()) {
            throw new IllegalArgumentException("gateway.limits: quota-wait and usage-timeout must be positive");
        }
    }

    public static GatewayLimits create(Config limits) {
        return new GatewayLimits(
                limits.get("in-flight").asInt().orElse(DEFAULTS.inFlight),
                limits.get("hijacked").asInt().orElse(DEFAULTS.hijacked),
                limits.get("streams").asInt().orElse(DEFAULTS.streams),
                limits.get("buffer-bytes").asLong().orElse(DEFAULTS.bufferBytes),
                limits.get("tenant-buffer-bytes").asLong().orElse(DEFAULTS.tenantBufferBytes),
                limits.get("head-timeout").as(Duration.class).orElse(DEFAULTS.headTimeout),
                limits.get("idle-timeout").as(Duration.class).orElse(DEFAULTS.idleTimeout),
                limits.get("quota-wait").as(Duration.class).orElse(DEFAULTS.quotaWait),
                limits.get("usage-timeout").as(Duration.class).orElse(DEFAULTS.usageTimeout));
    }
}
