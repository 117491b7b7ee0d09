package cx.wip.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import cx.wip.gateway.review.Review;
import cx.wip.gateway.review.Reviewer;
import cx.wip.testing.DockerCli;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 11's first hole, against the real dockerd: a create body sent to a target that the gateway once routed as
 * {@code container.start} (not reviewed) while the daemon read it as {@code containers/create}. The policy here
 * refuses every create; the attack must neither create a container nor reach the daemon in any other form.
 */
class RouteConfusionIT {
    private static final String BODY = "{\"Image\":\"" + DockerCli.BUSYBOX + "\",\"HostConfig\":{\"Binds\":[\"/:/host\"]}}";
    private static GatewayServer gateway;
    private static DockerCli direct;

    @BeforeAll
    static void start() {
        Reviewer refuseAll = (tenant, operation, method, path, query, body, usage) -> new Review.Deny(403, "wip: refused");
        gateway = GatewayServer.builder()
                .config(GatewayConfig.create(Config.just(ConfigSources.create(Map.of("port", "0", "admin-port", "0",
                        "daemon", GatewayFixture.HOST_DAEMON)))))
                .reviewer(refuseAll).build().start();
        direct = DockerCli.at(GatewayFixture.HOST_DAEMON, java.nio.file.Path.of(System.getProperty("java.io.tmpdir")));
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @Test
    void targetsThatCouldBeReadTwoWaysNeverCreateAContainer() throws IOException {
        String name = "wip-confusion-" + UUID.randomUUID().toString().substring(0, 8);
        for (String target : List.of("/v1.41/containers/create\u0080/start?&name=" + name,
                "/v1.41/containers/create%80/start?&name=" + name,
                "/v1.41/containers/x%2F..%2Fcreate/start?name=" + name,
                "/v1.41/containers/create%3F/start?name=" + name,
                "/v1.41/containers/create/..%2Fx/start?name=" + name,
                "/v1.41/containers/create#/start?name=" + name)) {
            String answer = post(target);
            assertThat(answer).as(target).startsWith("HTTP/1.1 400").contains("\"message\"");
        }
        assertThat(post("/v1.41/containers/create?name=" + name)).startsWith("HTTP/1.1 403");
        assertThat(direct.docker("ps", "-a", "-q", "--filter", "name=" + name).call().expectSuccess().out()).isBlank();
    }

    private static String post(String target) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), gateway.port())) {
            socket.setSoTimeout(10_000);
            byte[] body = BODY.getBytes(StandardCharsets.UTF_8);
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + target + " HTTP/1.1\r\nHost: docker\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder answer = new StringBuilder();
            int b;
            while ((b = in.read()) != -1 && !answer.toString().contains("}")) {
                answer.append((char) b);
            }
            return answer.toString();
        }
    }
}
