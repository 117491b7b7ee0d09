package cx.wip.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import cx.wip.testing.DockerCli;
import cx.wip.testing.Run;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The suite as operators deploy it: the five images built from their Dockerfiles on the registry-free base image
 * ({@code deploy/base-image.sh}), brought up by docker-compose 1.29 from {@code compose.yaml} with Caddy instead of
 * Traefik ({@code deploy/compose.caddy.yaml}), then used the way a tenant uses it: a tenant created with wipctl, a
 * compose app deployed with the tenant's token through the gateway, the app reached over HTTPS through Caddy.
 * vm-service runs its {@code static} backend on the host dockerd here (see compose.stack-it.yaml).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ComposeStackIT {
    private static final String RUN = UUID.randomUUID().toString().substring(0, 6);
    private static final String SLUG = "smoke" + RUN;
    private static final Duration BUILD = Duration.ofMinutes(4);

    @TempDir
    static Path dir;
    static ComposeStack stack;
    static Tenant tenant;
    static DockerCli client;
    static Path app;

    @BeforeAll
    static void up() throws IOException {
        Path root = Stack.root();
        Run.of(root.resolve("deploy/base-image.sh").toString(), "all").env("JAVA_HOME", Stack.javaHome())
                .timeout(BUILD).call().expectSuccess();
        Path vmConfig = dir.resolve("vm-service.yaml");
        Files.writeString(vmConfig, "{}\n");
        stack = new ComposeStack(root, "wipit" + RUN, List.of(root.resolve("compose.yaml"),
                root.resolve("deploy/compose.caddy.yaml"), Stack.resource("compose.stack-it.yaml", dir)),
                Map.ofEntries(Map.entry("WIP_BASE_IMAGE", "wip-test/jre:25"),
                              Map.entry("WIP_IMAGE_PREFIX", "wip-stack-it"),
                              Map.entry("WIP_VERSION", "test"),
                              Map.entry("WIP_REDIS_IMAGE", "wip-test/redis:7"),
                              Map.entry("WIP_CADDY_IMAGE", "wip-test/caddy:2"),
                              Map.entry("WIP_CADDY_ISSUER", "internal"),
                              Map.entry("WIP_HTTPS_PUBLISH", "127.0.0.1::443"),
                              Map.entry("WIP_DOCKER_TLS_PUBLISH", "127.0.0.1::2376"),
                              Map.entry("WIP_TEST_PUBLIC_ADDRESS", Stack.hostBridgeAddress()),
                              Map.entry("WIP_VM_CONFIG", vmConfig.toString()),
                              Map.entry("WIP_DOMAIN", "wip.localhost")));
        stack.ok(BUILD, "build", "--parallel");
        stack.ok(Duration.ofMinutes(2), "up", "-d", "--no-build", "redis", "caddy", "auth-service", "policy-service",
                 "ingress-service");
        // auth-service may restart while Redis is still slow to answer (restart policy): its host port changes then
        tenant = await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(2)).ignoreExceptions()
                .until(() -> Tenant.create(root, "127.0.0.1:" + stack.port("auth-service", 9111), SLUG,
                                           dir.resolve("bundle")), t -> true);
        Files.writeString(vmConfig, Stack.staticVmConfig(tenant.id(), Stack.hostBridgeAddress()));
        stack.ok(Duration.ofMinutes(3), "up", "-d", "--no-build", "vm-service", "gateway");
        client = tenant.client("tcp://127.0.0.1:" + stack.port("gateway", 2375), dir.resolve("client"));
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1))
                .until(() -> client.docker("version").call().exitCode() == 0);
        app = Stack.webApp(dir, "shop" + RUN);
    }

    @AfterAll
    static void down() {
        try {
            if (client != null && app != null) {
                client.compose("down", "-t", "0").in(app).timeout(Duration.ofMinutes(1)).call();
            }
        } finally {
            if (stack != null) {
                System.out.println(stack.run(Duration.ofSeconds(30), "logs", "--tail", "40").out());
                stack.close();
            }
        }
    }

    @Test
    @Order(1)
    void everyServiceOfTheStack_isHealthy() {
        List<String> services = List.of("auth-service", "policy-service", "vm-service", "ingress-service", "gateway");

        String ps = await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(2))
                .until(() -> stack.ok(Duration.ofSeconds(30), "ps").out(),
                       out -> services.stream().allMatch(s -> healthy(out, s)));

        assertThat(services).allMatch(service -> healthy(ps, service));
    }

    private static boolean healthy(String ps, String service) {
        return ps.lines().anyMatch(line -> line.startsWith(stack.project() + "_" + service + "_1 ")
                                           && line.contains("Up (healthy)"));
    }

    @Test
    @Order(2)
    void aTenantsComposeApp_deployedThroughTheGateway_isServedOverHttpsByCaddy() {
        // the first requests meet cold JVMs behind the gateway (its gRPC deadlines are short): `up` is idempotent
        Run.Result up = await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(2))
                .until(() -> client.compose("up", "-d").in(app).timeout(Duration.ofMinutes(2)).call(),
                       result -> result.exitCode() == 0);
        assertThat(up.err()).contains("web");

        String host = "web." + SLUG + ".wip.localhost";
        int https = stack.port("caddy", 443);
        Path caddyRoot = dir.resolve("caddy-root.crt");
        String body = await().atMost(Duration.ofSeconds(45)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .until(() -> Stack.httpsGet(stack, host, https, caddyRoot), "page-of-web\n"::equals);

        assertThat(body).isEqualTo("page-of-web\n");
    }

    @Test
    @Order(3)
    void scaledGateways_eachServeTheTenant() {
        stack.ok(Duration.ofMinutes(2), "up", "-d", "--no-build", "--no-recreate", "--scale", "gateway=2", "gateway");

        for (int index = 1; index <= 2; index++) {
            int port = Stack.indexedPort(stack, "gateway", index, 2375);
            DockerCli replica = tenant.client("tcp://127.0.0.1:" + port, dir.resolve("client" + index));
            Run.Result ps = await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> replica.docker("ps", "--format", "{{.Names}}").call(), r -> r.exitCode() == 0);
            assertThat(ps.out()).contains("web");
        }
    }
}
