package cx.wip.gateway;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import cx.wip.testing.DockerCli;
import cx.wip.testing.Run;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A 1 GiB image saved and loaded through the packaged gateway running with a 64 MiB heap: streams are never
 * buffered, so memory stays flat and every byte arrives.
 */
class SaveLoadIT {
    private static final String BIG = "wip-test/big:1g";
    private static final String HEAP = "-Xmx64m";

    private static Process gateway;
    private static int port;
    private static int adminPort;
    private static Path work;

    @BeforeAll
    static void start() throws Exception {
        work = Files.createTempDirectory("wip-saveload");
        DockerCli direct = DockerCli.at(GatewayFixture.HOST_DAEMON, work);
        if (direct.docker("image", "inspect", BIG).call().exitCode() != 0) {
            Path context = Files.createDirectories(work.resolve("ctx"));
            Files.writeString(context.resolve("Dockerfile"), "FROM " + DockerCli.BUSYBOX
                    + "\nRUN head -c 1073741824 /dev/urandom > /big.bin\n");
            direct.docker("build", "-t", BIG, ".").in(context).env("DOCKER_BUILDKIT", "0")
                    .timeout(Duration.ofMinutes(5)).call().expectSuccess();
        }
        port = freePort();
        adminPort = freePort();
        Path jar = Path.of("target/wip-gateway.jar").toAbsolutePath();
        gateway = new ProcessBuilder(List.of(ProcessHandle.current().info().command().orElse("java"), HEAP,
                "-Dgateway.port=" + port, "-Dgateway.admin-port=" + adminPort, "-jar", jar.toString()))
                .redirectErrorStream(true).redirectOutput(work.resolve("gateway.log").toFile()).start();
        HttpClient http = HttpClient.newHttpClient();
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + adminPort + "/observe/health")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode() == 200);
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.destroy();
        }
    }

    @Test
    void saveAndLoad_ofAGibibyte_withASmallHeap() throws Exception {
        DockerCli viaGateway = DockerCli.at("tcp://127.0.0.1:" + port, work);
        DockerCli direct = DockerCli.at(GatewayFixture.HOST_DAEMON, work);
        Path throughGateway = work.resolve("through-gateway.tar");
        Path straight = work.resolve("direct.tar");

        viaGateway.docker("save", "-o", throughGateway.toString(), BIG).timeout(Duration.ofMinutes(5)).call().expectSuccess();
        direct.docker("save", "-o", straight.toString(), BIG).timeout(Duration.ofMinutes(5)).call().expectSuccess();
        assertThat(Files.size(throughGateway)).isGreaterThan(1L << 30).isEqualTo(Files.size(straight));
        assertThat(sha256(throughGateway)).isEqualTo(sha256(straight));
        Files.delete(straight);

        Run.Result load = viaGateway.docker("load", "-i", throughGateway.toString()).timeout(Duration.ofMinutes(5)).call();
        load.expectSuccess();
        assertThat(load.out()).contains("Loaded image: " + BIG);
        Files.delete(throughGateway);

        assertThat(gateway.isAlive()).as("gateway survived with " + HEAP).isTrue();
        assertThat(Files.readString(work.resolve("gateway.log"))).doesNotContain("OutOfMemoryError");
    }

    private static String sha256(Path file) {
        return Run.of("sha256sum", file.toString()).call().expectSuccess().out().split(" ")[0];
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
