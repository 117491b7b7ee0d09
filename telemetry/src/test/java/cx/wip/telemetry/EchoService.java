package cx.wip.telemetry;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.function.UnaryOperator;

import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.ServerCalls;

/** A one-method gRPC service over plain strings, for in-process tests: {@code test.Echo/Say}. */
final class EchoService {
    static final MethodDescriptor<String, String> SAY = MethodDescriptor.<String, String>newBuilder()
            .setType(MethodDescriptor.MethodType.UNARY)
            .setFullMethodName(MethodDescriptor.generateFullMethodName("test.Echo", "Say"))
            .setRequestMarshaller(new Utf8())
            .setResponseMarshaller(new Utf8())
            .build();

    private EchoService() {
    }

    /** The service answering each request with {@code answer.apply(request)}; a thrown exception fails the call. */
    static ServerServiceDefinition answering(UnaryOperator<String> answer) {
        return ServerServiceDefinition.builder("test.Echo")
                .addMethod(SAY, ServerCalls.asyncUnaryCall((request, observer) -> {
                    String reply;
                    try {
                        reply = answer.apply(request);
                    } catch (RuntimeException e) {
                        observer.onError(io.grpc.Status.FAILED_PRECONDITION.withDescription(e.getMessage())
                                .asRuntimeException());
                        return;
                    }
                    observer.onNext(reply);
                    observer.onCompleted();
                }))
                .build();
    }

    /**
     * The service answering each request once {@code release} opens, from another thread: the handler returns at
     * once, as a real asynchronous service does, so the call's cancellation reaches its listeners meanwhile.
     */
    static ServerServiceDefinition answeringLater(java.util.concurrent.CountDownLatch release) {
        return ServerServiceDefinition.builder("test.Echo")
                .addMethod(SAY, ServerCalls.asyncUnaryCall((request, observer) -> Thread.ofVirtual().start(() -> {
                    try {
                        release.await(10, java.util.concurrent.TimeUnit.SECONDS);
                        observer.onNext(request);
                        observer.onCompleted();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } catch (RuntimeException cancelled) {
                        // the client gave up: nothing to answer
                    }
                })))
                .build();
    }

    private static final class Utf8 implements MethodDescriptor.Marshaller<String> {
        @Override
        public InputStream stream(String value) {
            return new ByteArrayInputStream(value.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public String parse(InputStream stream) {
            try {
                return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
