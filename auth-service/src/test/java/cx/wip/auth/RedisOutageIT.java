package cx.wip.auth;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import cx.wip.proto.auth.v1.AuthServiceGrpc;
import cx.wip.proto.auth.v1.AuthenticateRequest;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** auth-service while its Redis is away: fast UNAVAILABLE, health DOWN, and back by itself. */
class RedisOutageIT {
    @TempDir
    Path dir;

    @Test
    void redisDown_isUnavailableQuickly_healthDown_thenRecovers() throws Exception {
        final RedisProcess redis = RedisProcess.start();
        try (AuthServer server = AuthServer.start(AuthFixture.config(redis, dir, 0, 0))) {
            final ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
            final AuthServiceGrpc.AuthServiceBlockingStub auth = AuthServiceGrpc.newBlockingStub(channel);
            final AuthenticateRequest request = AuthenticateRequest.newBuilder().setBearerToken("wip-x").build();
            assertThat(auth.authenticate(request).hasDenial()).isTrue();

            redis.stop();
            await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThatThrownBy(
                    () -> auth.withDeadlineAfter(5, TimeUnit.SECONDS).authenticate(
                            AuthenticateRequest.newBuilder().setBearerToken(
                                    "wip-abcdefghij-" + "a".repeat(40)).build()))
                    .isInstanceOfSatisfying(StatusRuntimeException.class,
                                            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE)));
            assertThat(health(server)).isEqualTo(503);
            assertThat(WipCtlRun.run("127.0.0.1:" + server.adminPort(), AuthFixture.adminTokenFile(dir), "tenant", "list").err())
                    .contains("cannot reach its state store");

            redis.restart();
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                    assertThat(WipCtlRun.run("127.0.0.1:" + server.adminPort(), AuthFixture.adminTokenFile(dir), "tenant", "list").exitCode()).isZero());
            assertThat(health(server)).isEqualTo(200);
            channel.shutdownNow();
        } finally {
            redis.close();
        }
    }

    private static int health(AuthServer server) throws Exception {
        return HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/observe/health")).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
