package cx.wip.vm.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;

import static org.awaitility.Awaitility.await;

/**
 * A vm-service started the way operators start it: {@code java -Dkey=value… -jar target/wip-vm-service.jar} (the
 * packaged jar and its {@code target/libs}), its own process, output in a log file, ready when its health answers.
 */
public final class VmProcess implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Process process;
    private final int port;
    private final Path log;
    private final ManagedChannel channel;

    private VmProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
        this.channel = ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
    }

    /**
     * Copies the packaged jar and its {@code libs/} into {@code dir}, so that a rebuild of {@code target/} while the
     * test runs cannot change what a process starting later loads.
     *
     * @return the copied jar
     */
    public static Path copyPackagedJar(Path dir) throws IOException {
        Path target = Path.of("target").toAbsolutePath();
        Path jar = target.resolve("wip-vm-service.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: integration tests run after 'package'");
        }
        Files.createDirectories(dir.resolve("libs"));
        try (Stream<Path> libs = Files.list(target.resolve("libs"))) {
            for (Path lib : libs.toList()) {
                Files.copy(lib, dir.resolve("libs").resolve(lib.getFileName()));
            }
        }
        return Files.copy(jar, dir.resolve(jar.getFileName()));
    }

    /** Starts {@code jar} (see {@link #copyPackagedJar}) with these system properties and environment variables. */
    public static VmProcess start(Path jar, String name, Map<String, String> properties, Map<String, String> env,
                                  Path dir) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xmx160m"));
        properties.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.addAll(List.of("-jar", jar.toString()));
        Path log = dir.resolve(name + ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(env);
        try {
            return new VmProcess(builder.start(), Integer.parseInt(properties.get("server.port")), log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until {@code /observe/health} answers 200 (Redis reached, gRPC served on the same port). */
    public VmProcess awaitHealthy() {
        await("vm-service on " + port + " healthy (log " + log + ")").atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    if (!process.isAlive()) {
                        throw new AssertionError("vm-service on " + port + " exited with " + process.exitValue()
                                                 + ": " + Files.readString(log));
                    }
                    return health() == 200;
                });
        return this;
    }

    public ManagedChannel channel() {
        return channel;
    }

    public long pid() {
        return process.pid();
    }

    /** SIGKILL: no shutdown hook, no lease release — a crashed replica. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        channel.shutdownNow();
        process.destroy();
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
            kill();
        }
    }

    private int health() {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/observe/health"))
                                     .timeout(Duration.ofSeconds(3)).build(),
                             HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
