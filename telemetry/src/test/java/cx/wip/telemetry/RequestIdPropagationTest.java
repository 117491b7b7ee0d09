package cx.wip.telemetry;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import io.helidon.logging.common.HelidonMdc;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Client → server → downstream over in-process gRPC: the ids travel as metadata and land in context and MDC. */
class RequestIdPropagationTest {
    private final List<AutoCloseable> open = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable closeable : open) {
            closeable.close();
        }
    }

    @Test
    void handlerSeesCallersIds_inContextAndMdc_onItsOwnThread() throws IOException {
        ManagedChannel channel = serve("ids", request -> seen());
        String callerThread = Thread.currentThread().getName();
        String answer;
        try (RequestIds.Scope ignored = RequestIds.enter("obs-42", "tenant-a")) {
            answer = call(channel, "hi");
        }
        assertThat(answer).isEqualTo("ctx=obs-42/tenant-a mdc=obs-42/tenant-a");
        assertThat(threadsSeen).doesNotContain(callerThread);
    }

    @Test
    void tenantLearntLater_travelsToo() throws IOException {
        ManagedChannel channel = serve("later", request -> seen());
        try (RequestIds.Scope ignored = RequestIds.enter("obs-43", null)) {
            assertThat(call(channel, "before")).isEqualTo("ctx=obs-43/- mdc=obs-43/-");
            RequestIds.tenant("tenant-b");
            assertThat(call(channel, "after")).isEqualTo("ctx=obs-43/tenant-b mdc=obs-43/tenant-b");
        }
    }

    @Test
    void callWithoutIds_getsAFreshRequestId() throws IOException {
        ManagedChannel channel = serve("fresh", request -> RequestIds.requestId().orElse("none"));
        String first = call(channel, "a");
        String second = call(channel, "b");
        assertThat(first).matches("[0-9a-f]{32}");
        assertThat(second).matches("[0-9a-f]{32}").isNotEqualTo(first);
    }

    @Test
    void insaneIncomingIds_areReplaced() throws IOException {
        ManagedChannel channel = serve("insane", request -> seen());
        Metadata forged = new Metadata();
        forged.put(RequestIds.REQUEST_ID_HEADER, "evil\" id");
        forged.put(RequestIds.TENANT_HEADER, "x".repeat(65));
        String answer = ClientCalls.blockingUnaryCall(
                io.grpc.ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(forged)), EchoService.SAY,
                io.grpc.CallOptions.DEFAULT, "x");
        assertThat(answer).matches("ctx=[0-9a-f]{32}/- mdc=[0-9a-f]{32}/-");
    }

    @Test
    void idsTravelOnToTheNextService() throws IOException {
        ManagedChannel downstream = serve("downstream", request -> seen());
        ManagedChannel upstream = serve("upstream", request -> "via " + call(downstream, request));
        String answer;
        try (RequestIds.Scope ignored = RequestIds.enter("obs-chain", "tenant-c")) {
            answer = call(upstream, "hop");
        }
        assertThat(answer).isEqualTo("via ctx=obs-chain/tenant-c mdc=obs-chain/tenant-c");
    }

    @Test
    void scopeEnds_whenClosed() {
        try (RequestIds.Scope outer = RequestIds.enter("outer", "t1")) {
            try (RequestIds.Scope inner = RequestIds.enter("inner", null)) {
                assertThat(RequestIds.requestId()).contains("inner");
                assertThat(HelidonMdc.get(RequestIds.MDC_TENANT)).isEmpty();
            }
            assertThat(RequestIds.requestId()).contains("outer");
            assertThat(HelidonMdc.get(RequestIds.MDC_REQUEST_ID)).contains("outer");
            assertThat(HelidonMdc.get(RequestIds.MDC_TENANT)).contains("t1");
        }
        assertThat(RequestIds.requestId()).isEmpty();
        assertThat(HelidonMdc.get(RequestIds.MDC_REQUEST_ID)).isEmpty();
    }

    @Test
    void saneIds_areShortAndPlain() {
        assertThat(RequestIds.sane("obs-1.a_B")).contains("obs-1.a_B");
        assertThat(RequestIds.sane("a".repeat(64))).isPresent();
        assertThat(RequestIds.sane("a".repeat(65))).isEmpty();
        assertThat(RequestIds.sane("")).isEmpty();
        assertThat(RequestIds.sane(null)).isEmpty();
        assertThat(RequestIds.sane("a b")).isEmpty();
        assertThat(RequestIds.sane("a\nb")).isEmpty();
    }

    private final List<String> threadsSeen = new CopyOnWriteArrayList<>();

    private String seen() {
        threadsSeen.add(Thread.currentThread().getName());
        return "ctx=" + RequestIds.requestId().orElse("-") + "/" + RequestIds.tenant().orElse("-")
                + " mdc=" + HelidonMdc.get(RequestIds.MDC_REQUEST_ID).orElse("-") + "/"
                + HelidonMdc.get(RequestIds.MDC_TENANT).orElse("-");
    }

    private ManagedChannel serve(String name, java.util.function.UnaryOperator<String> answer) throws IOException {
        String unique = name + "-" + RequestIds.newId();
        Server server = InProcessServerBuilder.forName(unique)
                .addService(ServerInterceptors.intercept(EchoService.answering(answer), new RequestIdServerInterceptor()))
                .build()
                .start();
        ManagedChannel channel = InProcessChannelBuilder.forName(unique).intercept(new RequestIdClientInterceptor())
                .build();
        open.add(() -> {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        });
        return channel;
    }

    private static String call(ManagedChannel channel, String request) {
        return ClientCalls.blockingUnaryCall(channel, EchoService.SAY, io.grpc.CallOptions.DEFAULT, request);
    }
}
