package cx.wip.gateway;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

import cx.wip.testing.DockerCli;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Both compose generations users have through the gateway — docker-compose 1.29 (docker-py underneath) and compose v2
 * (the CLI 28 plug-in) — on a two-service project, build, up, down.
 */
class ComposeIT {
    private static GatewayFixture gateway;

    @BeforeAll
    static void start() throws Exception {
        gateway = new GatewayFixture();
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @ParameterizedTest
    @EnumSource(DockerCli.Compose.class)
    void buildUpPsLogsDown_ofATwoServiceProject(DockerCli.Compose version) throws Exception {
        Path project = Files.createTempDirectory(gateway.work(), "compose");
        // `web` is built: v1 sends a classic /build, v2 builds with buildx over the hijacked /grpc. (Its page used to
        // come from a relative bind; without policy-service to rewrite it, the gateway's last check refuses host binds.)
        Files.createDirectories(project.resolve("web"));
        Files.writeString(project.resolve("web/Dockerfile"), "FROM wip-test/busybox:latest\nCOPY index.html /site/\n");
        Files.writeString(project.resolve("web/index.html"), "served from a built image\n");
        Files.writeString(project.resolve("docker-compose.yml"), """
                version: "2.4"
                services:
                  web:
                    build: ./web
                    command: sh -c 'echo web-says-$$GREETING; exec httpd -f -p 8080 -h /site'
                    stop_grace_period: 1s
                    environment:
                      GREETING: hello-compose
                    labels:
                      cx.wip.test: web
                    ports:
                      - "127.0.0.1::8080"
                    depends_on:
                      - store
                  store:
                    image: wip-test/busybox:latest
                    command: sh -c 'echo kept > /data/state; echo store-ready; exec sleep 600'
                    stop_grace_period: 1s
                    volumes:
                      - data:/data
                volumes:
                  data:
                """);
        String name = "wipit" + UUID.randomUUID().toString().substring(0, 6);
        // v1 names containers project_service_1, v2 project-service-1
        String web = version == DockerCli.Compose.V1 ? name + "_web_1" : name + "-web-1";
        String store = version == DockerCli.Compose.V1 ? name + "_store_1" : name + "-store-1";
        DockerCli compose = gateway.cli();
        try {
            compose.compose(version, "-p", name, "build").in(project).timeout(Duration.ofSeconds(180)).call()
                    .expectSuccess();
            compose.compose(version, "-p", name, "up", "-d").in(project).timeout(Duration.ofSeconds(120)).call().expectSuccess();

            String ps = compose.compose(version, "-p", name, "ps").in(project).call().expectSuccess().out();
            assertThat(ps).contains(web).contains(store);
            assertThat(ps.lines().filter(l -> l.contains(web) || l.contains(store)).allMatch(l -> l.contains("Up")))
                    .isTrue();

            String port = compose.compose(version, "-p", name, "port", "web", "8080").in(project).call().expectSuccess().out().trim();
            HttpClient http = HttpClient.newHttpClient();
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(http.send(
                    HttpRequest.newBuilder(URI.create("http://" + port + "/index.html")).build(),
                    HttpResponse.BodyHandlers.ofString()).body()).isEqualTo("served from a built image\n"));

            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(compose.compose(version, "-p", name, "logs",
                    "--no-color").in(project).call().expectSuccess().out())
                    .contains("web-says-hello-compose").contains("store-ready"));
            assertThat(compose.docker("inspect", "-f", "{{index .Config.Labels \"cx.wip.test\"}}", web)
                    .call().expectSuccess().out().trim()).isEqualTo("web");
            assertThat(compose.docker("volume", "ls", "-q").call().out()).contains(name + "_data");
        } finally {
            compose.compose(version, "-p", name, "down", "-v", "--rmi", "local").in(project).timeout(Duration.ofSeconds(120)).call().expectSuccess();
        }
        assertThat(compose.docker("ps", "-a", "--format", "{{.Names}}").call().out()).doesNotContain(web).doesNotContain(store);
        assertThat(compose.docker("volume", "ls", "-q").call().out()).doesNotContain(name + "_data");
    }
}
