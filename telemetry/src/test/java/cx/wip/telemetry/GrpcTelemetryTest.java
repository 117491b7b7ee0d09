package cx.wip.telemetry;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.ClientCalls;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** A service served through {@link GrpcTelemetry}: its access-log line is written in the caller's scope. */
class GrpcTelemetryTest {
    @Test
    void observedService_logsEachCall_withTheCallersIds_andNoPayload() throws Exception {
        List<String> lines = new CopyOnWriteArrayList<>();
        Handler capture = capture(lines);
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

    @Test
    void callTheClientGaveUpOn_isLoggedAsCancelled() throws Exception {
        List<String> lines = new CopyOnWriteArrayList<>();
        Handler capture = capture(lines);
        Logger access = Logger.getLogger("cx.wip.grpc.access");
        access.addHandler(capture);
        String name = "cancel-" + RequestIds.newId();
        CountDownLatch release = new CountDownLatch(1);
        Server server = InProcessServerBuilder.forName(name)
                .addService(GrpcTelemetry.observed(EchoService.answeringLater(release)))
                .build().start();
        ManagedChannel channel = InProcessChannelBuilder.forName(name).intercept(GrpcTelemetry.client()).build();
        try (RequestIds.Scope ignored = RequestIds.enter("obs-cancel", "tenant-c")) {
            assertThatThrownBy(() -> ClientCalls.blockingUnaryCall(channel, EchoService.SAY,
                    CallOptions.DEFAULT.withDeadlineAfter(200, TimeUnit.MILLISECONDS), "slow"))
                    .isInstanceOf(StatusRuntimeException.class);
            await().atMost(5, TimeUnit.SECONDS).until(() -> !lines.isEmpty());
        } finally {
            release.countDown();
            access.removeHandler(capture);
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }

        assertThat(lines).singleElement().asString()
                .contains("\"msg\":\"grpc test.Echo/Say CANCELLED ")
                .contains("\"request_id\":\"obs-cancel\"");
    }

    /** Formats each record on the logging thread, as the console handler does. */
    private static Handler capture(List<String> lines) {
        JsonLogFormatter json = new JsonLogFormatter();
        return new Handler() {
            @Override
            public void publish(LogRecord record) {
                lines.add(json.format(record));
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
    }
}
