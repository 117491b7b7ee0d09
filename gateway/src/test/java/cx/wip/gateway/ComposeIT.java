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
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** docker-compose 1.29 (docker-py underneath) through the gateway: a two-service project, up to down. */
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

    @Test
    void upPsLogsDown_ofATwoServiceProject() throws Exception {
        Path project = Files.createTempDirectory(gateway.work(), "compose");
        Files.createDirectories(project.resolve("site"));
        Files.writeString(project.resolve("site/index.html"), "served from a relative bind\n");
        Files.writeString(project.resolve("docker-compose.yml"), """
                version: "2.4"
                services:
                  web:
                    image: wip-test/busybox:latest
                    command: sh -c 'echo web-says-$$GREETING; exec httpd -f -p 8080 -h /site'
                    stop_grace_period: 1s
                    environment:
                      GREETING: hello-compose
                    labels:
                      cx.wip.test: web
                    ports:
                      - "127.0.0.1::8080"
                    volumes:
                      - ./site:/site
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
        DockerCli compose = gateway.cli();
        try {
            compose.compose("-p", name, "up", "-d").in(project).timeout(Duration.ofSeconds(120)).call().expectSuccess();

            String ps = compose.compose("-p", name, "ps").in(project).call().expectSuccess().out();
            assertThat(ps).contains(name + "_web_1").contains(name + "_store_1");
            assertThat(ps.lines().filter(l -> l.contains(name + "_")).allMatch(l -> l.contains("Up"))).isTrue();

            String port = compose.compose("-p", name, "port", "web", "8080").in(project).call().expectSuccess().out().trim();
            HttpClient http = HttpClient.newHttpClient();
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(http.send(
                    HttpRequest.newBuilder(URI.create("http://" + port + "/index.html")).build(),
                    HttpResponse.BodyHandlers.ofString()).body()).isEqualTo("served from a relative bind\n"));

            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(compose.compose("-p", name, "logs",
                    "--no-color").in(project).call().expectSuccess().out())
                    .contains("web-says-hello-compose").contains("store-ready"));
            assertThat(compose.docker("inspect", "-f", "{{index .Config.Labels \"cx.wip.test\"}}", name + "_web_1")
                    .call().expectSuccess().out().trim()).isEqualTo("web");
            assertThat(compose.docker("volume", "ls", "-q").call().out()).contains(name + "_data");
        } finally {
            compose.compose("-p", name, "down", "-v").in(project).timeout(Duration.ofSeconds(120)).call().expectSuccess();
        }
        assertThat(compose.docker("ps", "-a", "--format", "{{.Names}}").call().out()).doesNotContain(name + "_");
        assertThat(compose.docker("volume", "ls", "-q").call().out()).doesNotContain(name + "_data");
    }
}
