package cx.wip.vm.backend.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import cx.wip.vm.spi.BackendException;

/** Runs host tools ({@code ip}, {@code iptables}, {@code bridge}, {@code umount}) and reports what they said. */
final class Commands {
    private Commands() {
    }

    /**
     * @param exit   exit code
     * @param output stdout and stderr together
     */
    record Result(int exit, String output) {
        boolean ok() {
            return exit == 0;
        }
    }

    static Result run(String... command) {
        return runWithInput("", command);
    }

    /** Runs with {@code input} on stdin (e.g. {@code ip -batch -}: many changes, one process). */
    static Result runWithInput(String input, String... command) {
        ProcessBuilder builder = new ProcessBuilder(List.of(command)).redirectErrorStream(true);
        try {
            Process process = builder.start();
            try (var stdin = process.getOutputStream()) {
                stdin.write(input.getBytes(StandardCharsets.UTF_8));
            }
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return new Result(-1, output + "\n(timed out)");
            }
            return new Result(process.exitValue(), output.strip());
        } catch (IOException e) {
            return new Result(-1, command[0] + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, command[0] + ": interrupted");
        }
    }

    /** Runs and fails with the tool's own words when it exits non-zero. */
    static String ok(String... command) {
        return okWithInput("", command);
    }

    static String okWithInput(String input, String... command) {
        Result result = runWithInput(input, command);
        if (!result.ok()) {
            throw new BackendException(String.join(" ", command) + " failed: " + result.output());
        }
        return result.output();
    }
}
