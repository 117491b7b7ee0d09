package cx.wip.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * One replica of a service started as operators start it ({@code java -Dkey=value… -jar target/NAME.jar}, or any
 * other command), its output in a log file, ready when its health URL answers 2xx.
 */
final class ServiceProcess implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    private static final int START_ATTEMPTS = 3;

    private final String name;
    private final ProcessBuilder builder;
    private final Path log;
    private Process process;

    private ServiceProcess(String name, ProcessBuilder builder, Path log) {
        this.name = name;
        this.builder = builder;
        this.log = log;
        launch();
    }

    private void launch() {
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code java -D… -jar <root>/<jar>}, logging to {@code dir/NAME.log}. */
    static ServiceProcess java(String name, Path jar, Map<String, String> properties, Path dir) {
        List<String> command = new ArrayList<>(List.of(Stack.javaHome() + "/bin/java", "-XX:+UseSerialGC",
                                                       "-XX:TieredStopAtLevel=1", "-Xmx192m"));
        properties.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.addAll(List.of("-jar", jar.toString()));
        return start(name, command, Map.of(), dir);
    }

    static ServiceProcess start(String name, List<String> command, Map<String, String> env, Path dir) {
        Path log = dir.resolve(name + ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).directory(dir.toFile());
        builder.environment().putAll(env);
        return new ServiceProcess(name, builder, log);
    }

    /**
     * Waits until {@code url} answers 2xx. A replica that exits while starting is started again, up to 3 attempts in
     * all — what a restart policy does for it in production (services fail fast when Redis is slow to answer).
     */
    ServiceProcess awaitHealthy(String url) {
        int[] attempts = {1};
        await(name + " healthy at " + url + " (log " + log + ")").atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> {
                    if (!process.isAlive()) {
                        if (attempts[0]++ >= START_ATTEMPTS) {
                            throw new AssertionError(name + " exited with " + process.exitValue() + "; see " + log);
                        }
                        System.out.println("SCALE " + name + " exited with " + process.exitValue()
                                           + " while starting; starting it again");
                        launch();
                    }
                    return status(url) / 100 == 2;
                });
        return this;
    }

    static int status(String url) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(3)).build(),
                             HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            System.out.println("SCALE health " + url + ": " + e);
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    String name() {
        return name;
    }

    boolean alive() {
        return process.isAlive();
    }

    /** SIGKILL, no shutdown hook: a crashed replica. */
    void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
