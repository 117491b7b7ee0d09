package cx.wip.testing;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The real docker clients pointed at an endpoint: CLI 28 ({@code /usr/local/bin/docker} when present), CLI 20.10
 * ({@code /usr/bin/docker}, from Debian's docker.io), docker-compose 1.29 and the CLI 28 plug-ins compose v2 and
 * buildx ({@link CliPlugins}, linked into each client's own config directory).
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

    /** The two compose generations users run: 1.29 (Python, docker-py) and v2 (the CLI 28 plug-in, Go). */
    public enum Compose {
        V1, V2
    }

    /**
     * Talks to {@code host} (tcp://… or unix://…) with a private client config directory holding only links to the
     * CLI plug-ins.
     */
    public static DockerCli at(String host, Path configDir) {
        CliPlugins.link(configDir);
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

    /** {@code docker-compose <args>} (V1) or {@code docker compose <args>} (V2). */
    public Run compose(Compose version, String... args) {
        if (version == Compose.V1) {
            return compose(args);
        }
        String[] plugin = new String[args.length + 1];
        plugin[0] = "compose";
        System.arraycopy(args, 0, plugin, 1, args.length);
        return command(CLI, plugin);
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
