package cx.wip.telemetry;

import java.util.concurrent.TimeUnit;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.helidon.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class ChannelReadinessTest {
    @Test
    void readyWhileDownstreamAnswers_downOnceItIsGone() throws Exception {
        String name = "readiness-" + RequestIds.newId();
        Server server = InProcessServerBuilder.forName(name)
                .addService(EchoService.answering(request -> request)).build().start();
        ManagedChannel channel = InProcessChannelBuilder.forName(name).build();
        ChannelReadiness readiness = new ChannelReadiness().add("echo", channel);
        try {
            await().atMost(5, TimeUnit.SECONDS).until(() -> readiness.call().details().get("echo").equals("READY"));
            assertThat(readiness.call().status()).isEqualTo(HealthCheckResponse.Status.UP);

            server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);

            await().atMost(10, TimeUnit.SECONDS)
                    .until(() -> readiness.call().status() == HealthCheckResponse.Status.DOWN);
            assertThat(readiness.call().details().get("echo")).isEqualTo("TRANSIENT_FAILURE");
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            server.shutdownNow();
        }
    }
}
