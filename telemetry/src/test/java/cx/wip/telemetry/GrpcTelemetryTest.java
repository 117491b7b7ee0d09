package cx.wip.telemetry;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.ClientCalls;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A service served through {@link GrpcTelemetry}: its access-log line is written in the caller's scope. */
class GrpcTelemetryTest {
    @Test
    void observedService_logsEachCall_withTheCallersIds_andNoPayload() throws Exception {
        List<String> lines = new CopyOnWriteArrayList<>();
        JsonLogFormatter json = new JsonLogFormatter();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                lines.add(json.format(record)); // formatted on the logging thread, as the console handler does
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger access = Logger.getLogger("cx.wip.grpc.access");
        access.addHandler(capture);
        String name = "telemetry-" + RequestIds.newId();
        Server server = InProcessServerBuilder.forName(name)
                .addService(GrpcTelemetry.observed(EchoService.answering(request -> "answer")))
                .build().start();
        ManagedChannel channel = InProcessChannelBuilder.forName(name).intercept(GrpcTelemetry.client()).build();
        try (RequestIds.Scope ignored = RequestIds.enter("obs-log", "tenant-l")) {
            ClientCalls.blockingUnaryCall(channel, EchoService.SAY, CallOptions.DEFAULT, "secret-token-in-payload");
        } finally {
            access.removeHandler(capture);
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }

        assertThat(lines).singleElement().asString()
                .contains("\"msg\":\"grpc test.Echo/Say OK ")
                .contains("\"request_id\":\"obs-log\"")
                .contains("\"tenant\":\"tenant-l\"")
                .doesNotContain("secret-token-in-payload");
    }
}
