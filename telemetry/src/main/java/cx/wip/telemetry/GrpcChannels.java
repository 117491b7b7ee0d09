package cx.wip.telemetry;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;

/**
 * The one way a wip service opens and closes a channel to another: plaintext (platform services talk on a private
 * network or loopback), the request-id interceptor, keepalive and a message bound from the client's
 * {@link GrpcClientConfig}, and a user agent naming the caller.
 */
public final class GrpcChannels {
    private GrpcChannels() {
    }

    /**
     * A channel to {@code config.address()}; it connects on its first call (or {@code getState(true)}).
     *
     * @param caller who calls, sent as the user agent (e.g. {@code wip-gateway}): the server's logs can tell callers apart
     */
    public static ManagedChannel open(String caller, GrpcClientConfig config) {
        return Grpc.newChannelBuilder(config.address(), InsecureChannelCredentials.create())
                .userAgent(caller)
                .keepAliveTime(config.keepAliveTime().toNanos(), TimeUnit.NANOSECONDS)
                .keepAliveTimeout(config.keepAliveTimeout().toNanos(), TimeUnit.NANOSECONDS)
                .keepAliveWithoutCalls(config.keepAliveWithoutCalls())
                .maxInboundMessageSize(config.maxMessageSize())
                .intercept(GrpcTelemetry.client())
                .build();
    }

    /**
     * Lets calls in flight finish for up to {@code grace}, then cancels what is left; {@link Duration#ZERO} cancels
     * at once (for a client that has waited for its own calls already).
     */
    public static void close(ManagedChannel channel, Duration grace) {
        channel.shutdown();
        try {
            if (!channel.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                channel.shutdownNow();
            }
        } catch (InterruptedException e) {
            channel.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
