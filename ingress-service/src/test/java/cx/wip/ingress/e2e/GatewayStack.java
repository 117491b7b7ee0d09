package cx.wip.ingress.e2e;

import cx.wip.gateway.GatewayConfig;
import cx.wip.gateway.GatewayException;
import cx.wip.gateway.GatewayServer;
import cx.wip.gateway.identity.Tenant;
import cx.wip.gateway.lifecycle.IngressReporter;
import cx.wip.gateway.review.Review;
import cx.wip.ingress.IngressFixture;
import cx.wip.ingress.fixtures.Docker;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The real gateway in-process, in front of the host's dockerd, with bearer tokens mapping to tenants, reporting
 * container lifecycle to ingress-service and checking {@code com.wip.http} at create (policy: allow as is).
 */
final class GatewayStack implements AutoCloseable {
    private final IngressReporter reporter;
    private final GatewayServer gateway;
    private final Map<String, Tenant> tokens;
    private final Path dir;

    GatewayStack(IngressFixture ingress, Map<String, Tenant> tokens, Path dir) {
        this.tokens = tokens;
        this.dir = dir;
        this.reporter = IngressReporter.create(Config.just(ConfigSources.create(Map.of(
                "gateway.ingress.address", ingress.grpcAddress(), "gateway.ingress.timeout", "PT10S"))));
        this.gateway = GatewayServer.builder()
                .config(GatewayConfig.create(Config.just(ConfigSources.create(Map.of("port", "0", "admin-port", "0",
                        "daemon", "unix:///var/run/docker.sock")))))
                .authenticator(identity -> identity.bearerToken().map(tokens::get)
                        .orElseThrow(() -> new GatewayException(401, "no such token")))
                .reviewer(reporter.labelReview((tenant, operation, method, path, query, body, usage)
                        -> new Review.Allow(body, List.of())))
                .lifecycle(reporter)
                .build()
                .start();
    }

    /** Runs docker-compose 1.29 as the tenant of {@code token}, through the gateway. */
    Docker.Result compose(String token, Path project, String... args) {
        Path config = dir.resolve("docker-config-" + token);
        try {
            Files.createDirectories(config);
            Files.writeString(config.resolve("config.json"),
                    "{\"HttpHeaders\":{\"Authorization\":\"Bearer " + token + "\"}}");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> command = new ArrayList<>(List.of("docker-compose", "--no-ansi"));
        command.addAll(List.of(args));
        return Docker.exec(command, project, Map.of("DOCKER_HOST", "tcp://127.0.0.1:" + gateway.port(),
                "DOCKER_CONFIG", config.toString(), "COMPOSE_INTERACTIVE_NO_CLI", "1"), false);
    }

    @Override
    public void close() {
        gateway.close();
        reporter.close();
    }
}
