package cx.wip.telemetry;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.ClientCalls;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.Metrics;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GrpcServerMetricsTest {
    @Test
    void countsCallsByServiceMethodAndCode_andTimesThem() throws Exception {
        MeterRegistry registry = Metrics.createMeterRegistry();
        LabelledCounter requests = LabelledCounter.create(registry, "wip_grpc_server_requests", "calls",
                "service", "method", "code");
        LabelledTimer durations = LabelledTimer.create(registry, "wip_grpc_server_duration", "durations",
                "service", "method");
        String name = "metrics-" + RequestIds.newId();
        Server server = InProcessServerBuilder.forName(name)
                .addService(ServerInterceptors.intercept(EchoService.answering(request -> {
                    if (request.equals("fail")) {
                        throw new IllegalStateException("refused");
                    }
                    return request;
                }), new GrpcServerMetrics(requests, durations)))
                .build().start();
        ManagedChannel channel = InProcessChannelBuilder.forName(name).build();
        // meter registries of one JVM share meters: count from where they are now
        long ok = requests.count("test.Echo", "Say", "OK");
        long refused = requests.count("test.Echo", "Say", "FAILED_PRECONDITION");
        long timed = durations.count("test.Echo", "Say");
        try {
            call(channel, "a");
            call(channel, "b");
            assertThatThrownBy(() -> call(channel, "fail")).isInstanceOf(StatusRuntimeException.class);

            assertThat(requests.count("test.Echo", "Say", "OK")).isEqualTo(ok + 2);
            assertThat(requests.count("test.Echo", "Say", "FAILED_PRECONDITION")).isEqualTo(refused + 1);
            assertThat(durations.count("test.Echo", "Say")).isEqualTo(timed + 3);
            assertThat(registry.meters()).extracting(m -> m.id().name())
                    .contains("wip_grpc_server_requests", "wip_grpc_server_duration");
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void labelValuesMustMatchLabelNames() {
        LabelledCounter counter = LabelledCounter.create(Metrics.createMeterRegistry(), "wip_test", "test", "a", "b");
        assertThatThrownBy(() -> counter.increment("only-one")).isInstanceOf(IllegalArgumentException.class);
    }

    private static String call(ManagedChannel channel, String request) throws IOException {
        return ClientCalls.blockingUnaryCall(channel, EchoService.SAY, CallOptions.DEFAULT, request);
    }
}
