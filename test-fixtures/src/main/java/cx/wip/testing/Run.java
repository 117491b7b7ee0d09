package cx.wip.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs an external command (the real docker CLI, docker-compose, curl…) with environment, working directory and stdin,
 * and a timeout that kills it: a test never hangs on a client.
 */
public final class Run {
    private final List<String> command = new ArrayList<>();
    private final Map<String, String> env = new HashMap<>();
    private Path directory;
    private byte[] stdin;
    private Duration timeout = Duration.ofSeconds(60);

    private Run(List<String> command) {
        this.command.addAll(command);
    }

    public static Run of(String... command) {
        return new Run(List.of(command));
    }

    public Run env(String name, String value) {
        env.put(name, value);
        return this;
    }

    public Run env(Map<String, String> values) {
        env.putAll(values);
        return this;
    }

    public Run in(Path directory) {
        this.directory = directory;
        return this;
    }

    public Run stdin(String text) {
        this.stdin = text.getBytes(StandardCharsets.UTF_8);
        return this;
    }

    public Run timeout(Duration timeout) {
        this.timeout = timeout;
        return this;
    }

    /** What a finished command printed. */
    public record Result(int exitCode, String out, String err) {
        public Result expectSuccess() {
            if (exitCode != 0) {
                throw new AssertionError("command failed with exit code " + exitCode + "\nstdout: " + out + "\nstderr: " + err);
            }
            return this;
        }
    }

    public Result call() {
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(env);
        if (directory != null) {
            builder.directory(directory.toFile());
        }
        try {
            Process process = builder.start();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            Thread outPump = pump(process.getInputStream(), out);
            Thread errPump = pump(process.getErrorStream(), err);
            try (OutputStream in = process.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin);
                }
            } catch (IOException closedEarly) {
                // the command did not read its stdin
            }
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                throw new AssertionError(command + " did not finish within " + timeout + "\nstdout so far: "
                        + out.toString(StandardCharsets.UTF_8) + "\nstderr so far: " + err.toString(StandardCharsets.UTF_8));
            }
            outPump.join(5000);
            errPump.join(5000);
            return new Result(process.exitValue(), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Starts the command in the background (for endless clients like `docker events`); stdout goes to the sink. */
    public Process start(OutputStream sink) {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(env);
        if (directory != null) {
            builder.directory(directory.toFile());
        }
        try {
            Process process = builder.start();
            pump(process.getInputStream(), sink);
            return process;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Thread pump(InputStream in, OutputStream sink) {
        return Thread.ofVirtual().start(() -> {
            try (in) {
                byte[] buffer = new byte[8192];
                int n;
                while ((n = in.read(buffer)) != -1) {
                    synchronized (sink) {
                        sink.write(buffer, 0, n);
                    }
                }
            } catch (IOException ignored) {
                // process ended
            }
        });
    }
}
