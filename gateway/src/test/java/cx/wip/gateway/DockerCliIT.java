package cx.wip.gateway;

import java.io.ByteArrayOutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Random;
import java.util.UUID;

import cx.wip.docker.DaemonConnection;
import cx.wip.docker.DaemonAddress;
import cx.wip.testing.CliPlugins;
import cx.wip.testing.DockerCli;
import cx.wip.testing.Run;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static cx.wip.testing.DockerCli.BUSYBOX;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The stock docker CLI (28 and 20.10) through the real gateway to the real dockerd: it cannot tell the difference. */
class DockerCliIT {
    private static GatewayFixture gateway;
    private static DockerCli docker;

    @BeforeAll
    static void start() throws Exception {
        gateway = new GatewayFixture();
        docker = gateway.cli();
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    private static String name() {
        return "wip-it-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void versionInfoAndPs_answerLikeTheDaemon() {
        String direct = gateway.direct().docker("version", "--format", "{{.Server.Version}} {{.Server.APIVersion}}")
                .call().expectSuccess().out();
        assertThat(docker.docker("version", "--format", "{{.Server.Version}} {{.Server.APIVersion}}").call()
                .expectSuccess().out()).isEqualTo(direct);
        assertThat(docker.docker("info", "--format", "{{.OSType}}").call().expectSuccess().out()).contains("linux");
        String container = name();
        gateway.direct().docker("create", "--name", container, BUSYBOX, "true").call().expectSuccess();
        try {
            assertThat(docker.docker("ps", "-a", "--format", "{{.Names}}").call().expectSuccess().out()).contains(container);
        } finally {
            gateway.direct().docker("rm", "-f", container).call();
        }
    }

    @Test
    void runRm_printsOutput_withBothClis() {
        assertThat(docker.docker("run", "--rm", BUSYBOX, "echo", "hello from wip").call().expectSuccess().out())
                .isEqualTo("hello from wip\n");
        assertThat(docker.docker20("run", "--rm", BUSYBOX, "echo", "hello from 20.10").call().expectSuccess().out())
                .isEqualTo("hello from 20.10\n");
    }

    @Test
    void runInteractive_pipesStdinAndKeepsOutputAfterHalfClose() {
        String input = "line one\nline two\n";
        assertThat(docker.docker("run", "--rm", "-i", BUSYBOX, "cat").stdin(input).call().expectSuccess().out())
                .isEqualTo(input);
        assertThat(docker.docker20("run", "--rm", "-i", BUSYBOX, "sh", "-c", "cat; echo done").stdin(input).call()
                .expectSuccess().out()).isEqualTo(input + "done\n");
    }

    @Test
    void runDetached_publishesAPort() throws Exception {
        String container = name();
        docker.docker("run", "-d", "--name", container, "-p", "127.0.0.1::8080", BUSYBOX,
                "httpd", "-f", "-p", "8080", "-h", "/etc").call().expectSuccess();
        try {
            String port = docker.docker("port", container, "8080").call().expectSuccess().out().trim();
            String hostPort = port.substring(port.lastIndexOf(':') + 1);
            HttpClient http = HttpClient.newHttpClient();
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + hostPort + "/passwd")).build(),
                    HttpResponse.BodyHandlers.ofString()).body()).contains("root:x:0:0"));
        } finally {
            docker.docker("rm", "-f", container).call();
        }
    }

    @Test
    void logsFollow_deliversALineWhileTheContainerRuns() {
        String container = name();
        docker.docker("run", "-d", "--name", container, BUSYBOX, "sh", "-c",
                "i=0; while true; do echo tick-$i; i=$((i+1)); sleep 0.2; done").call().expectSuccess();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Process follow = docker.docker("logs", "-f", "--since", "0s", container).start(out);
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> text(out).contains("tick-"));
            String first = text(out);
            await().atMost(Duration.ofSeconds(60)).until(() -> text(out).length() > first.length());
            assertThat(follow.isAlive()).isTrue();
            assertThat(docker.docker("inspect", "-f", "{{.State.Running}}", container).call().out()).contains("true");
        } finally {
            follow.destroyForcibly();
            docker.docker("rm", "-f", container).call();
        }
    }

    @Test
    void events_arriveLive() {
        String label = "wip-it-events=" + name();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Process events = docker.docker("events", "--filter", "label=" + label, "--format", "{{.Action}}").start(out);
        try {
            // containers made after the stream opened: an event can only arrive live
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
                docker.docker("run", "--rm", "--label", label, BUSYBOX, "true").call().expectSuccess();
                return text(out).contains("start");
            });
            assertThat(events.isAlive()).isTrue();
        } finally {
            events.destroyForcibly();
        }
    }

    @Test
    void aClientLeavingAnIdleStream_releasesTheDaemonConnection() throws Exception {
        int before = DaemonConnection.openCount();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Process events = docker.docker("events", "--filter", "container=never-" + name()).start(out);
        await().atMost(Duration.ofSeconds(60)).until(() -> DaemonConnection.openCount() > before);
        events.destroyForcibly().waitFor();
        await().atMost(Duration.ofSeconds(3)).until(() -> DaemonConnection.openCount() <= before);
    }

    @Test
    void execInteractive_pipesStdin() {
        String container = name();
        docker.docker("run", "-d", "--name", container, BUSYBOX, "sleep", "60").call().expectSuccess();
        try {
            assertThat(docker.docker("exec", "-i", container, "sh", "-c", "cat; echo exec-done").stdin("to exec\n")
                    .call().expectSuccess().out()).isEqualTo("to exec\nexec-done\n");
        } finally {
            docker.docker("rm", "-f", container).call();
        }
    }

    @Test
    void cp_bothWays_keepsEveryByte() throws Exception {
        Path dir = Files.createTempDirectory(gateway.work(), "cp");
        byte[] payload = new byte[24 * 1024 * 1024];
        new Random(42).nextBytes(payload);
        Files.write(dir.resolve("blob.bin"), payload);
        String container = name();
        docker.docker("run", "-d", "--name", container, BUSYBOX, "sleep", "60").call().expectSuccess();
        try {
            docker.docker("cp", dir.resolve("blob.bin").toString(), container + ":/tmp/blob.bin").call().expectSuccess();
            docker.docker("cp", container + ":/tmp/blob.bin", dir.resolve("back.bin").toString()).call().expectSuccess();
            assertThat(sha256(Files.readAllBytes(dir.resolve("back.bin")))).isEqualTo(sha256(payload));
        } finally {
            docker.docker("rm", "-f", container).call();
        }
    }

    @Test
    void build_classicBuildKitAndBuildx_fromALocalImage() throws Exception {
        Path context = Files.createTempDirectory(gateway.work(), "build");
        Files.writeString(context.resolve("greeting.txt"), "built through wip\n");
        Files.writeString(context.resolve("Dockerfile"),
                "FROM " + BUSYBOX + "\nCOPY greeting.txt /greeting.txt\nRUN cp /greeting.txt /copied.txt\n");
        String classic = "wip-it/classic-" + name();
        String buildkit = "wip-it/buildkit-" + name();
        String buildx = "wip-it/buildx-" + name();
        try {
            docker.docker("build", "-t", classic, ".").in(context).env("DOCKER_BUILDKIT", "0")
                    .timeout(Duration.ofSeconds(120)).call().expectSuccess();
            assertThat(docker.docker("run", "--rm", classic, "cat", "/copied.txt").call().expectSuccess().out())
                    .isEqualTo("built through wip\n");
            // CLI 20.10 builds with BuildKit over /session (Upgrade: h2c) plus /build, both through the gateway
            docker.docker20("build", "-t", buildkit, ".").in(context).env("DOCKER_BUILDKIT", "1")
                    .timeout(Duration.ofSeconds(120)).call().expectSuccess();
            assertThat(docker.docker("run", "--rm", buildkit, "cat", "/copied.txt").call().expectSuccess().out())
                    .isEqualTo("built through wip\n");
            // CLI 28 with the buildx plug-in (what users have): buildx's docker driver over the hijacked /grpc
            assertThat(CliPlugins.installed("buildx")).as("buildx installed by .ci/clients.sh").isTrue();
            docker.docker("build", "-t", buildx, ".").in(context).timeout(Duration.ofSeconds(120)).call()
                    .expectSuccess();
            assertThat(docker.docker("run", "--rm", buildx, "cat", "/copied.txt").call().expectSuccess().out())
                    .isEqualTo("built through wip\n");
        } finally {
            docker.docker("rmi", "-f", classic, buildkit, buildx).call();
        }
    }

    @Test
    void unknownAndRefusedEndpoints_answerDockerStyleJson() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> unknown = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + gateway.server().port() + "/v1.41/nothing/here")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).contains("json"));
        assertThat(unknown.body()).contains("\"message\"");

        HttpResponse<String> form = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + gateway.server().port() + "/v1.41/images/create?fromImage=" + BUSYBOX))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("fromSrc=http://169.254.169.254/")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(form.statusCode()).isEqualTo(400);
        assertThat(form.body()).contains("form-encoded bodies are refused");

        Run.Result swarm = docker.docker("swarm", "init").call();
        assertThat(swarm.exitCode()).isNotZero();
        assertThat(swarm.err()).contains("Error response from daemon: wip: swarm mode is not offered");
        Run.Result install = docker.docker("plugin", "install", "--grant-all-permissions", "vieux/sshfs").call();
        assertThat(install.err()).contains("wip: installing Docker plugins is not offered");
        assertThat(docker.docker("plugin", "ls", "-q").call().expectSuccess().out()).isEmpty();
        Run.Result inspect = docker.docker("inspect", "no-such-object-" + name()).call();
        assertThat(inspect.exitCode()).isNotZero();
        assertThat(inspect.err()).contains("No such object");
    }

    @Test
    void unixSocketListener_servesTheSameApi() {
        assertThat(gateway.unixCli().docker("run", "--rm", BUSYBOX, "echo", "over unix").call().expectSuccess().out())
                .isEqualTo("over unix\n");
    }

    @Test
    void daemonDown_answers502WithAMessage_quickly() throws Exception {
        try (GatewayFixture orphan = new GatewayFixture(DaemonAddress.parse("unix:///run/wip-no-such-daemon.sock"))) {
            long start = System.nanoTime();
            Run.Result ps = orphan.cli().docker("ps").timeout(Duration.ofSeconds(20)).call();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
            assertThat(ps.exitCode()).isNotZero();
            assertThat(ps.err()).contains("Error response from daemon: wip: your Docker engine is not reachable")
                    .doesNotContain("Unsolicited response");
            try (Socket raw = new Socket("127.0.0.1", orphan.server().port())) {
                raw.getOutputStream().write("HEAD /_ping HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                raw.setSoTimeout(5000);
                var in = raw.getInputStream();
                StringBuilder head = new StringBuilder();
                while (!head.toString().endsWith("\r\n\r\n")) {
                    int b = in.read();
                    assertThat(b).as("connection closed inside the head").isNotNegative();
                    head.append((char) b);
                }
                assertThat(head.toString()).startsWith("HTTP/1.1 502");
                raw.setSoTimeout(500);
                assertThatThrownBy(in::read).as("no body after the head of a HEAD reply")
                        .isInstanceOf(java.net.SocketTimeoutException.class);
            }
        }
    }

    private static String text(ByteArrayOutputStream out) {
        synchronized (out) {
            return out.toString(StandardCharsets.UTF_8);
        }
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
