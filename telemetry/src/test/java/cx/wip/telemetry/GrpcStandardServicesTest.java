package cx.wip.telemetry;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class GrpcStandardServicesTest {

    @Test
    void healthFollowsReadiness_forTheServerAndEachNamedService() throws Exception {
        AtomicBoolean ready = new AtomicBoolean(true);
        String name = InProcessServerBuilder.generateName();
        try (GrpcStandardServices standard = GrpcStandardServices.start("test", ready::get, Duration.ofMillis(20),
                "wip.test.v1.TestService")) {
            Server server = InProcessServerBuilder.forName(name).addService(standard.healthService()).build().start();
            ManagedChannel channel = InProcessChannelBuilder.forName(name).build();
            try {
                HealthGrpc.HealthBlockingStub health = HealthGrpc.newBlockingStub(channel);
                await().atMost(Duration.ofSeconds(5)).until(() -> status(health, "") == ServingStatus.SERVING
                        && status(health, "wip.test.v1.TestService") == ServingStatus.SERVING);

                ready.set(false);

                await().atMost(Duration.ofSeconds(5)).until(() -> status(health, "") == ServingStatus.NOT_SERVING
                        && status(health, "wip.test.v1.TestService") == ServingStatus.NOT_SERVING);
            } finally {
                GrpcChannels.close(channel, Duration.ofSeconds(1));
                server.shutdownNow();
            }
        }
    }

    private static ServingStatus status(HealthGrpc.HealthBlockingStub health, String service) {
        return health.check(HealthCheckRequest.newBuilder().setService(service).build()).getStatus();
    }
}
