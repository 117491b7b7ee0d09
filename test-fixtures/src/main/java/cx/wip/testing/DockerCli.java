package cx.wip.testing;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The real docker clients pointed at an endpoint: CLI 28 ({@code /usr/local/bin/docker} when present), CLI 20.10
 * ({@code /usr/bin/docker}, from Debian's docker.io) and docker-compose 1.29.
 */
public final class DockerCli {
    /** The newest CLI on the machine (28.x here). */
    public static final String CLI = firstExisting("/usr/local/bin/docker", "/usr/bin/docker");
    /** Debian's CLI 20.10 (BuildKit without buildx). */
    public static final String CLI_20 = "/usr/bin/docker";
    public static final String COMPOSE = "docker-compose";
    /** The test image built by .ci/images.sh from busybox-static. */
    public static final String BUSYBOX = "wip-test/busybox:latest";

    private final Map<String, String> env;

    private DockerCli(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    /** Talks to {@code host} (tcp://… or unix://…) with a private, empty client config directory. */
    public static DockerCli at(String host, Path configDir) {
        Map<String, String> env = new HashMap<>();
        env.put("DOCKER_HOST", host);
        env.put("DOCKER_CONFIG", configDir.toString());
        env.put("DOCKER_CLI_HINTS", "false");
        env.put("COMPOSE_INTERACTIVE_NO_CLI", "1");
        return new DockerCli(env);
    }

    /** The same endpoint over mTLS with the given bundle directory (ca.pem, cert.pem, key.pem). */
    public DockerCli withTls(Path certDir) {
        Map<String, String> tls = new HashMap<>(env);
        tls.put("DOCKER_TLS_VERIFY", "1");
        tls.put("DOCKER_CERT_PATH", certDir.toString());
        return new DockerCli(tls);
    }

    public DockerCli withEnv(String name, String value) {
        Map<String, String> more = new HashMap<>(env);
        more.put(name, value);
        return new DockerCli(more);
    }

    public Map<String, String> env() {
        return env;
    }

    /** {@code docker <args>} with CLI 28. */
    public Run docker(String... args) {
        return command(CLI, args);
    }

    /** {@code docker <args>} with CLI 20.10. */
    public Run docker20(String... args) {
        return command(CLI_20, args);
    }

    /** {@code docker-compose <args>} (1.29, docker-py underneath). */
    public Run compose(String... args) {
        return command(COMPOSE, args);
    }

    private Run command(String binary, String... args) {
        List<String> command = new ArrayList<>();
        command.add(binary);
        command.addAll(List.of(args));
        return Run.of(command.toArray(String[]::new)).env(env);
    }

    private static String firstExisting(String... paths) {
        for (String path : paths) {
            if (new java.io.File(path).canExecute()) {
                return path;
            }
        }
        return "docker";
    }
}
