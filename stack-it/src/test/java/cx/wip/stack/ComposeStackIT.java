package cx.wip.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import cx.wip.testing.DockerCli;
import cx.wip.testing.Run;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.containers.ContainerState;
import org.testcontainers.containers.DockerComposeContainer;
import org.testcontainers.containers.wait.strategy.Wait;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The suite as operators deploy it: the five images built from their Dockerfiles on the registry-free base image
 * ({@code deploy/base-image.sh}), brought up by Testcontainers driving the local docker-compose 1.29 binary over
 * {@code compose.yaml} with Caddy instead of Traefik ({@code deploy/compose.caddy.yaml}), every service waited for
 * on its Docker health check; then used the way a tenant uses it: a tenant created with wipctl, a compose app
 * deployed with the tenant's token through the gateway, the app reached over HTTPS through Caddy. vm-service runs
 * its {@code static} backend on the host dockerd here (see compose.stack-it.yaml); like an operator, the test adds
 * the new tenant's daemon to its configuration file and restarts it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ComposeStackIT {
    private static final String RUN = UUID.randomUUID().toString().substring(0, 6);
    private static final String SLUG = "smoke" + RUN;
    private static final Duration BUILD = Duration.ofMinutes(4);
    private static final List<String> SERVICES = List.of("redis", "auth-service", "policy-service", "vm-service",
                                                         "ingress-service", "gateway");

    @TempDir
    static Path dir;
    static DockerComposeContainer<?> compose;
    static ComposeStack stack;
    static Tenant tenant;
    static DockerCli client;
    static Path app;

    @BeforeAll
    static void up() throws IOException {
        long started = System.nanoTime();
        Path root = Stack.root();
        Run.of(root.resolve("deploy/base-image.sh").toString(), "all").env("JAVA_HOME", Stack.javaHome())
                .timeout(BUILD).call().expectSuccess();
        Path vmConfig = dir.resolve("vm-service.yaml");
        Files.writeString(vmConfig, Stack.staticVmConfig("nobody-yet", Stack.hostBridgeAddress()));
        List<Path> files = List.of(root.resolve("compose.yaml"), root.resolve("deploy/compose.caddy.yaml"),
                                   Stack.resource("compose.stack-it.yaml", dir));
        Map<String, String> env = Map.ofEntries(Map.entry("WIP_BASE_IMAGE", "wip-test/jre:25"),
                                                Map.entry("WIP_IMAGE_PREFIX", "wip-stack-it"),
                                                Map.entry("WIP_VERSION", "test"),
                                                Map.entry("WIP_REDIS_IMAGE", "wip-test/redis:7"),
                                                Map.entry("WIP_CADDY_IMAGE", "wip-test/caddy:2"),
                                                Map.entry("WIP_CADDY_ISSUER", "internal"),
                                                Map.entry("WIP_HTTPS_PUBLISH", "127.0.0.1::443"),
                                                Map.entry("WIP_DOCKER_TLS_PUBLISH", "127.0.0.1::2376"),
                                                Map.entry("WIP_TEST_PUBLIC_ADDRESS", Stack.hostBridgeAddress()),
                                                Map.entry("WIP_VM_CONFIG", vmConfig.toString()),
                                                // auth-service writes its admin token here; wipctl reads it
                                                Map.entry("WIP_ADMIN_DIR", dir.resolve("admin").toString()),
                                                Map.entry("WIP_DOMAIN", "wip.localhost"));
        // images first, in parallel, with the same files and environment (Testcontainers' own --build is serial)
        new ComposeStack(root, "wipit" + RUN, files, env).ok(BUILD, "build", "--parallel");
        phase("images built", started);

        compose = new DockerComposeContainer<>("wipit" + RUN, files.stream().map(Path::toFile).toList())
                .withEnv(env).withPull(false).withBuild(false).withRemoveVolumes(true)
                .withServices(Stream.concat(Stream.of("caddy"), SERVICES.stream()).toArray(String[]::new))
                .withStartupTimeout(Duration.ofMinutes(3));
        for (String service : SERVICES) {
            compose.waitingFor(service, Wait.forHealthcheck().withStartupTimeout(Duration.ofMinutes(3)));
        }
        compose.start();
        stack = new ComposeStack(root, project(), files, env);
        phase("stack healthy", started);

        // auth-service may restart while Redis is still slow to answer (restart policy): its host port changes then
        tenant = await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(2)).ignoreExceptions()
                .until(() -> Tenant.create(root, "127.0.0.1:" + stack.port("auth-service", 9111),
                                           dir.resolve("admin/admin.token"), SLUG, dir.resolve("bundle")), t -> true);
        Files.writeString(vmConfig, Stack.staticVmConfig(tenant.id(), Stack.hostBridgeAddress()));
        phase("tenant created", started);
        stack.ok(Duration.ofMinutes(1), "restart", "-t", "5", "vm-service");
        // the gateway's readiness follows its vm-service channel: it is unhealthy until that reconnects
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1))
                .until(() -> SERVICES.stream().allMatch(service -> "healthy".equals(health(service))));

        client = tenant.client("tcp://127.0.0.1:" + stack.port("gateway", 2375), dir.resolve("client"));
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1))
                .until(() -> client.docker("version").call().exitCode() == 0);
        app = Stack.webApp(dir, "shop" + RUN);
        phase("tenant's daemon configured and reached", started);
    }

    /** Where the minutes go (CI artifact): seconds since the start of the setup. */
    private static void phase(String what, long started) {
        System.out.printf("STACK %s after %.1f s%n", what, (System.nanoTime() - started) / 1e9);
    }

    /** The compose project Testcontainers made (its identifier plus a random suffix), from a container's labels. */
    private static String project() {
        return container("redis").getContainerInfo().getConfig().getLabels().get("com.docker.compose.project");
    }

    private static ContainerState container(String service) {
        return compose.getContainerByServiceName(service + "_1")
                .orElseThrow(() -> new AssertionError("no container for " + service));
    }

    /** The Docker health status of a service's first container, as the engine reports it now. */
    private static String health(String service) {
        return container(service).getCurrentContainerInfo().getState().getHealth().getStatus();
    }

    @AfterAll
    static void down() {
        try {
            if (client != null && app != null
                && client.compose("down", "-t", "0").in(app).timeout(Duration.ofMinutes(1)).call().exitCode() != 0) {
                // the tenant's daemon is the host's here (static backend): nothing of the app may outlive the test
                Run.of("docker-compose", "down", "-t", "0").in(app).timeout(Duration.ofMinutes(1)).call()
                        .expectSuccess();
            }
        } finally {
            if (stack != null) {
                System.out.println(stack.run(Duration.ofSeconds(30), "logs", "--tail", "40").out());
            }
            if (compose != null) {
                compose.stop();
            }
        }
    }

    @Test
    @Order(1)
    void everyServiceOfTheStack_isHealthy() {
        assertThat(SERVICES).allSatisfy(service -> assertThat(health(service)).as(service).isEqualTo("healthy"));
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
    void scaledGateways_eachServeTheTenant_andTheSecondServesOnWhenTheFirstIsRemoved() {
        stack.ok(Duration.ofMinutes(2), "up", "-d", "--no-build", "--no-recreate", "--scale", "gateway=2", "gateway");

        List<DockerCli> replicas = new ArrayList<>();
        for (int index = 1; index <= 2; index++) {
            int port = Stack.indexedPort(stack, "gateway", index, 2375);
            replicas.add(tenant.client("tcp://127.0.0.1:" + port, dir.resolve("client" + index)));
            assertThat(ps(replicas.getLast())).contains("web");
        }

        // the rolling-upgrade recipe of deploy/README.md: scale up, then remove the old container
        Run.of("docker", "rm", "-f", container("gateway").getContainerId()).timeout(Duration.ofMinutes(1)).call()
                .expectSuccess();
        client = replicas.getLast();
        assertThat(stack.ok(Duration.ofSeconds(30), "ps", "-q", "gateway").out().lines().count()).isEqualTo(1);
        assertThat(ps(client)).contains("web");
    }

    /** {@code docker ps} through one gateway replica, retried while it starts. */
    private static String ps(DockerCli replica) {
        return await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1))
                .until(() -> replica.docker("ps", "--format", "{{.Names}}").call(), r -> r.exitCode() == 0).out();
    }
}
