package cx.wip.telemetry;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.grpc.ManagedChannel;

/** Closing a client channel the one way every service does it: shutdown, wait a bounded time, then shutdownNow. */
public final class GrpcChannels {
    private GrpcChannels() {
    }

    /** Lets calls in flight finish for up to {@code grace}, then cancels what is left. */
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
