package cx.wip.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import cx.wip.testing.CliPlugins;

/**
 * The real docker CLI (and docker-compose) as a process, with its own {@code DOCKER_CONFIG} directory so that the
 * user's config never leaks in. Output is captured whole.
 */
public final class DockerCli {
    private final Path config;
    private final Map<String, String> env;

    private DockerCli(Path config, Map<String, String> env) {
        this.config = config;
        this.env = env;
    }

    /** A CLI with a config directory under {@code dir} that holds only links to the CLI plug-ins (buildx, compose v2). */
    public static DockerCli in(Path dir, Map<String, String> env) {
        try {
            Files.createDirectories(dir);
            CliPlugins.link(dir);
            return new DockerCli(dir, env);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes {@code config.json} with {@code "HttpHeaders": {"Authorization": "Bearer <token>"}}. */
    public DockerCli withBearer(String token) {
        try {
            Files.writeString(config.resolve("config.json"),
                              "{\"HttpHeaders\": {\"Authorization\": \"Bearer " + token + "\"}}\n");
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The outcome of one command. */
    public record Result(int exitCode, String out, String err) {
        public String all() {
            return out + err;
        }
    }

    public Result docker(String... args) {
        final List<String> command = new ArrayList<>(List.of("docker"));
        command.addAll(List.of(args));
        return run(command, null);
    }

    /** {@code docker compose <args>}: compose v2, the CLI plug-in. */
    public Result compose2(Path project, String... args) {
        final List<String> command = new ArrayList<>(List.of("docker", "compose"));
        command.addAll(List.of(args));
        return run(command, project);
    }

    /** {@code docker-compose <args>}: compose 1.29. */
    public Result compose(Path project, String... args) {
        final List<String> command = new ArrayList<>(List.of("docker-compose"));
        command.addAll(List.of(args));
        return run(command, project);
    }

    /** A shell line, e.g. the {@code docker context create …} line wipctl printed. */
    public Result shell(String line) {
        return run(List.of("bash", "-c", line), null);
    }

    private Result run(List<String> command, Path workdir) {
        try {
            final Path out = Files.createTempFile("docker-out", ".txt");
            final Path err = Files.createTempFile("docker-err", ".txt");
            final ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile());
            if (workdir != null) {
                builder.directory(workdir.toFile());
            }
            builder.environment().keySet().removeIf(k -> k.startsWith("DOCKER_") || k.startsWith("COMPOSE_"));
            builder.environment().put("DOCKER_CONFIG", config.toString());
            builder.environment().putAll(env);
            final Process process = builder.start();
            if (!process.waitFor(180, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("timed out: " + command);
            }
            final Result result = new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                                             Files.readString(err, StandardCharsets.UTF_8));
            Files.delete(out);
            Files.delete(err);
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
