package cx.wip.telemetry;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GrpcUnaryTest {
    /** A service's own mapping: its domain exception (here IllegalArgumentException) only. */
    private static final GrpcUnary UNARY = GrpcUnary.of("test-service", e -> e instanceof IllegalArgumentException
            ? Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException() : null);

    private final List<LogRecord> logged = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            logged.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void captureLogs() {
        Logger.getLogger(GrpcUnary.class.getName()).addHandler(capture);
    }

    @AfterEach
    void releaseLogs() {
        Logger.getLogger(GrpcUnary.class.getName()).removeHandler(capture);
    }

    @Test
    void aValue_isAnsweredAndTheCallCompleted() {
        Recorder<String> observer = new Recorder<>();

        UNARY.answer(observer, () -> "answer");

        assertThat(observer.values).containsExactly("answer");
        assertThat(observer.completed).isTrue();
        assertThat(observer.error).isNull();
        assertThat(logged).isEmpty();
    }

    @Test
    void aDomainException_isAnsweredWithTheServicesStatus_andNotLogged() {
        Recorder<String> observer = new Recorder<>();

        UNARY.answer(observer, () -> {
            throw new IllegalArgumentException("slug must be lowercase");
        });

        assertThat(observer.values).isEmpty();
        assertThat(observer.completed).isFalse();
        assertThat(Status.fromThrowable(observer.error).getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(Status.fromThrowable(observer.error).getDescription()).isEqualTo("slug must be lowercase");
        assertThat(logged).isEmpty();
    }

    @Test
    void anythingElse_isInternal_withAGenericDescription_andLoggedOnceWithItsStackTrace() {
        Recorder<String> observer = new Recorder<>();
        IllegalStateException bug = new IllegalStateException("secret at /var/lib/wip/tenants/t1");

        UNARY.answer(observer, () -> {
            throw bug;
        });

        Status status = Status.fromThrowable(observer.error);
        assertThat(status.getCode()).isEqualTo(Status.Code.INTERNAL);
        assertThat(status.getDescription()).isEqualTo("internal error in test-service");
        assertThat(status.getCause()).isNull();
        assertThat(logged).singleElement().satisfies(record -> {
            assertThat(record.getLevel()).isEqualTo(Level.SEVERE);
            assertThat(record.getThrown()).isSameAs(bug);
        });
    }

    @Test
    void aMappingThatFails_stillAnswersInternal() {
        GrpcUnary broken = GrpcUnary.of("test-service", e -> {
            throw new UnsupportedOperationException("mapping bug");
        });

        StatusRuntimeException status = broken.status(new IllegalArgumentException("x"));

        assertThat(status.getStatus().getCode()).isEqualTo(Status.Code.INTERNAL);
        assertThat(status.getStatus().getDescription()).isEqualTo("internal error in test-service");
        assertThat(logged).hasSize(1);
    }

    @Test
    void overTheWire_theCallerReadsTheStatus_andNothingOfTheFailure() throws Exception {
        String name = InProcessServerBuilder.generateName();
        ServerServiceDefinition service = ServerServiceDefinition.builder("test.Echo")
                .addMethod(EchoService.SAY, ServerCalls.asyncUnaryCall((request, observer) ->
                        UNARY.answer(observer, () -> switch (request) {
                            case "bad" -> throw new IllegalArgumentException("bad request");
                            case "bug" -> throw new IllegalStateException("secret detail");
                            default -> "hello " + request;
                        })))
                .build();
        Server server = InProcessServerBuilder.forName(name).addService(service).build().start();
        ManagedChannel channel = InProcessChannelBuilder.forName(name).build();
        try {
            assertThat(ClientCalls.blockingUnaryCall(channel, EchoService.SAY, CallOptions.DEFAULT, "you"))
                    .isEqualTo("hello you");
            assertThatThrownBy(() -> ClientCalls.blockingUnaryCall(channel, EchoService.SAY, CallOptions.DEFAULT, "bad"))
                    .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(e.getStatus().getCode())
                            .isEqualTo(Status.Code.INVALID_ARGUMENT));
            assertThatThrownBy(() -> ClientCalls.blockingUnaryCall(channel, EchoService.SAY, CallOptions.DEFAULT, "bug"))
                    .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INTERNAL);
                        assertThat(e.getStatus().getDescription()).isEqualTo("internal error in test-service");
                        assertThat(e).hasNoCause();
                        assertThat(e.getMessage()).doesNotContain("secret");
                    });
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    /** What a call was answered with. */
    private static final class Recorder<T> implements StreamObserver<T> {
        final List<T> values = new ArrayList<>();
        Throwable error;
        boolean completed;

        @Override
        public void onNext(T value) {
            values.add(value);
        }

        @Override
        public void onError(Throwable t) {
            error = t;
        }

        @Override
        public void onCompleted() {
            completed = true;
        }
    }
}
