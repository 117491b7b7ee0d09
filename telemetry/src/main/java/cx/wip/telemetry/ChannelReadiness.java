package cx.wip.telemetry;

import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.helidon.health.HealthCheck;
import io.helidon.health.HealthCheckResponse;
import io.helidon.health.HealthCheckType;

/**
 * Readiness of a service that calls others over gRPC: down while any downstream channel is failing to connect
 * ({@code TRANSIENT_FAILURE}) or shut down; the details name each channel's state. An idle channel is asked to
 * connect, so a downstream that went away is noticed by the next probe rather than by the next request.
 */
public final class ChannelReadiness implements HealthCheck {
    private final Map<String, ManagedChannel> channels = new ConcurrentSkipListMap<>();

    /** Watches {@code channel} under {@code name} (e.g. "auth", "vm"). */
    public ChannelReadiness add(String name, ManagedChannel channel) {
        channels.put(name, channel);
        return this;
    }

    @Override
    public HealthCheckType type() {
        return HealthCheckType.READINESS;
    }

    @Override
    public String name() {
        return "downstream";
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponse.Builder response = HealthCheckResponse.builder();
        boolean ready = true;
        for (Map.Entry<String, ManagedChannel> channel : channels.entrySet()) {
            ConnectivityState state = channel.getValue().getState(true);
            ready &= state != ConnectivityState.TRANSIENT_FAILURE && state != ConnectivityState.SHUTDOWN;
            response.detail(channel.getKey(), state.name());
        }
        return response.status(ready).build();
    }
}
