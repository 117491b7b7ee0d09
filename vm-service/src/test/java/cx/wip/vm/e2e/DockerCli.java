package cx.wip.vm.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The real docker CLI pointed at the gateway, carrying one tenant's bearer token (HttpHeaders in config.json). */
final class DockerCli {
    private final String host;
    private final Path configDir;

    private DockerCli(String host, Path configDir) {
        this.host = host;
        this.configDir = configDir;
    }

    static DockerCli forTenant(int gatewayPort, String token) {
        try {
            Path dir = Files.createTempDirectory("wip-e2e-docker-");
            Files.writeString(dir.resolve("config.json"),
                              "{\"HttpHeaders\": {\"Authorization\": \"Bearer " + token + "\"}}");
            return new DockerCli("tcp://127.0.0.1:" + gatewayPort, dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The CLI straight at a daemon socket (no gateway, no token): the floor for routing overhead. */
    static DockerCli direct(String dockerAddress) {
        try {
            return new DockerCli(dockerAddress, Files.createTempDirectory("wip-e2e-docker-"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * @param exit   exit code
     * @param output stdout and stderr
     */
    record Result(int exit, String output) {
        boolean ok() {
            return exit == 0;
        }
    }

    /** Starts a command that keeps running (e.g. {@code logs -f}); the caller stops it. */
    Process start(String... args) {
        try {
            return builder(args).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private ProcessBuilder builder(String... args) {
        List<String> command = new ArrayList<>(List.of(binary()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("DOCKER_HOST", host);
        builder.environment().put("DOCKER_CONFIG", configDir.toString());
        builder.environment().remove("DOCKER_CONTEXT");
        return builder;
    }

    Result run(String... args) {
        ProcessBuilder builder = builder(args);
        try {
            Process process = builder.start();
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return new Result(-1, output);
            }
            return new Result(process.exitValue(), output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The newest CLI here (CLI 28 at /usr/local/bin), else Debian's docker.io CLI. */
    static String binary() {
        return Files.isExecutable(Path.of("/usr/local/bin/docker")) ? "/usr/local/bin/docker" : "/usr/bin/docker";
    }

    /** Runs and insists on success; returns the output. */
    String ok(String... args) {
        Result result = run(args);
        if (!result.ok()) {
            throw new AssertionError("docker " + String.join(" ", args) + " failed (" + result.exit() + "): "
                                     + result.output());
        }
        return result.output();
    }
}
