package cx.wip.telemetry;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.grpc.CallOptions;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.stub.ClientCalls;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Channels from {@link GrpcChannels#open} against a real Netty server on an ephemeral loopback port. */
class GrpcChannelsTest {
    private static final Metadata.Key<String> USER_AGENT = Metadata.Key.of("user-agent", Metadata.ASCII_STRING_MARSHALLER);

    private final AtomicReference<Metadata> lastHeaders = new AtomicReference<>();
    private Server server;

    @BeforeEach
    void start() throws Exception {
        ServerInterceptor headers = new ServerInterceptor() {
            @Override
            public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata metadata,
                                                               ServerCallHandler<Q, A> next) {
                lastHeaders.set(metadata);
                return next.startCall(call, metadata);
            }
        };
        server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(ServerInterceptors.intercept(new HealthStatusManager().getHealthService(), headers))
                .addService(ServerInterceptors.intercept(EchoService.answering(
                        request -> "x".repeat(Integer.parseInt(request))), headers))
                .build().start();
    }

    @AfterEach
    void stop() throws InterruptedException {
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    @Test
    void aCall_carriesTheCallerAsUserAgent_andTheRequestIds_andCloseEndsTheChannel() {
        ManagedChannel channel = GrpcChannels.open("wip-test", client(server.getPort(), 4 * 1024 * 1024));
        try (RequestIds.Scope ignored = RequestIds.enter("chan-req", "tenant-ch")) {
            assertThat(HealthGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS)
                    .check(HealthCheckRequest.getDefaultInstance()).getStatus()).isEqualTo(ServingStatus.SERVING);
        } finally {
            GrpcChannels.close(channel, Duration.ofSeconds(2));
        }

        assertThat(lastHeaders.get().get(USER_AGENT)).startsWith("wip-test ");
        assertThat(lastHeaders.get().get(RequestIds.REQUEST_ID_HEADER)).isEqualTo("chan-req");
        assertThat(lastHeaders.get().get(RequestIds.TENANT_HEADER)).isEqualTo("tenant-ch");
        assertThat(channel.isShutdown()).isTrue();
        assertThat(channel.isTerminated()).isTrue();
    }

    @Test
    void anAnswerBeyondMaxMessageSize_isRefused() {
        ManagedChannel channel = GrpcChannels.open("wip-test", client(server.getPort(), 1024));
        try {
            assertThat(ClientCalls.blockingUnaryCall(channel, EchoService.SAY, CallOptions.DEFAULT, "500")).hasSize(500);
            assertThatThrownBy(() -> ClientCalls.blockingUnaryCall(channel, EchoService.SAY, CallOptions.DEFAULT, "5000"))
                    .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(e.getStatus().getCode())
                            .isEqualTo(Status.Code.RESOURCE_EXHAUSTED));
        } finally {
            GrpcChannels.close(channel, Duration.ZERO);
        }
    }

    /** Takes about keepalive.time (grpc's floor: 10 s) plus keepalive.timeout. */
    @Test
    void aPeerThatFallsSilent_isNoticedByKeepalive_withoutACallInFlight() throws Exception {
        try (SilentRelay relay = SilentRelay.to(server.getPort())) {
            ManagedChannel channel = GrpcChannels.open("wip-test", new GrpcClientConfig("127.0.0.1:" + relay.port(),
                    Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(1), true, 1024));
            try {
                HealthGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS)
                        .check(HealthCheckRequest.getDefaultInstance());
                assertThat(channel.getState(false)).isEqualTo(ConnectivityState.READY);

                relay.silence();

                await().atMost(Duration.ofSeconds(30)).until(() -> channel.getState(false) != ConnectivityState.READY);
            } finally {
                GrpcChannels.close(channel, Duration.ZERO);
            }
        }
    }

    /** The shared keepalive defaults; the echo answers as many x's as the request asks for. */
    private static GrpcClientConfig client(int port, int maxMessageSize) {
        return new GrpcClientConfig("127.0.0.1:" + port, Duration.ofSeconds(5), GrpcClientConfig.KEEPALIVE_TIME,
                GrpcClientConfig.KEEPALIVE_TIMEOUT, true, maxMessageSize);
    }
}
