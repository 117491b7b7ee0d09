package cx.wip.stack;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import cx.wip.testing.Run;

/**
 * docker-compose 1.29 commands on one project made of the repository's {@code compose.yaml},
 * {@code deploy/compose.caddy.yaml} and the test's override, with its project name and environment: what a test does
 * besides bringing the project up and down (Testcontainers does that), e.g. build, port, restart, scale, logs.
 */
final class ComposeStack {
    private final String project;
    private final List<Path> files;
    private final Map<String, String> env;
    private final Path root;

    ComposeStack(Path root, String project, List<Path> files, Map<String, String> env) {
        this.root = root;
        this.project = project;
        this.files = List.copyOf(files);
        this.env = Map.copyOf(env);
    }

    /** {@code docker-compose -p PROJECT -f … ARGS}, failing the test when it fails. */
    Run.Result ok(Duration timeout, String... args) {
        return run(timeout, args).expectSuccess();
    }

    Run.Result run(Duration timeout, String... args) {
        List<String> command = new ArrayList<>(List.of("docker-compose", "--ansi", "never", "-p", project));
        for (Path file : files) {
            command.add("-f");
            command.add(file.toString());
        }
        command.addAll(List.of(args));
        return Run.of(command.toArray(String[]::new)).env(env).in(root).timeout(timeout).call();
    }

    /** The loopback host port a service's container port is published on. */
    int port(String service, int containerPort) {
        String out = ok(Duration.ofSeconds(30), "port", service, Integer.toString(containerPort)).out().trim();
        return Integer.parseInt(out.substring(out.lastIndexOf(':') + 1));
    }
}
