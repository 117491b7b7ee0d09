package cx.wip.policy.e2e;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Host binds become named volumes: compose's {@code ./data:/data} keeps its data across down and up without
 * touching the host path, and the CLI prints the rewrite (and the plan's clamps) as warnings.
 */
class BindRewriteIT {
    private static final String PROJECT = "wippolicybind";
    private static Stack stack;

    @TempDir
    static Path project;

    @BeforeAll
    static void start() throws Exception {
        stack = Stack.start();
        Stack.removeProject(PROJECT);
    }

    @AfterAll
    static void stop() throws Exception {
        Stack.removeProject(PROJECT);
        Stack.host("rm", "-f", "wip-policy-it-bind", "wip-policy-it-clamp");
        for (String volume : Stack.host("volume", "ls", "-q").output().split("\\s+")) {
            if (volume.startsWith(PROJECT + "_") || volume.startsWith("wip_warned_")) {
                Stack.host("volume", "rm", "-f", volume);
            }
        }
        stack.close();
    }

    @Test
    void composeDataDirectory_persistsAcrossDownAndUp_withoutTouchingTheHostPath() throws Exception {
        Files.writeString(project.resolve("docker-compose.yml"), """
                version: "2.4"
                services:
                  app:
                    image: wip-test/busybox:latest
                    volumes: ["./data:/data"]
                    command: ["sh", "-c", "echo run >> /data/runs; echo runs=$$(wc -l < /data/runs)"]
                """);

        assertThat(upAndRead()).contains("runs=1");
        Stack.Result down = stack.compose(project, PROJECT, "down", "-v");
        assertThat(down.exit()).as(down.output()).isZero();
        assertThat(upAndRead()).contains("runs=2");

        assertThat(Files.exists(project.resolve("data").resolve("runs"))).isFalse();
        assertThat(Stack.host("volume", "ls", "-q").output()).containsPattern(PROJECT + "_data_[0-9a-f]{8}");
    }

    private String upAndRead() throws Exception {
        Stack.Result up = stack.compose(project, PROJECT, "up", "-d");
        assertThat(up.exit()).as(up.output()).isZero();
        String[] lines = stack.compose(project, PROJECT, "ps", "-q", "app").output().trim().split("\n");
        String id = lines[lines.length - 1].trim();
        Stack.Result waited = stack.docker(project, "wait", id);
        assertThat(waited.output().trim()).isEqualTo("0");
        return stack.docker(project, "logs", id).output();
    }

    @Test
    void dockerCreate_printsTheRewriteAsAWarning() throws Exception {
        Path warned = Files.createDirectories(project.resolve("warned"));

        Stack.Result create = stack.docker(project, "create", "--name", "wip-policy-it-bind", "-v",
                warned + ":/data", Stack.IMAGE);

        assertThat(create.exit()).as(create.output()).isZero();
        assertThat(create.output()).contains("WARNING: wip: bind mount of host path \"" + warned
                + "\" became the named volume \"wip_warned_");
        assertThat(stack.docker(project, "inspect", "-f", "{{range .Mounts}}{{.Type}} {{.Name}}{{end}}",
                "wip-policy-it-bind").output()).startsWith("volume wip_warned_");
    }

    @Test
    void planLimits_areAppliedAndClamped_withAWarning() throws Exception {
        Stack.Result create = stack.docker(project, "create", "--name", "wip-policy-it-clamp", "-m", "4g",
                "--pids-limit", "-1", Stack.IMAGE);

        assertThat(create.exit()).as(create.output()).isZero();
        assertThat(create.output()).contains("WARNING: wip: memory 4GiB is above plan e2e's 256MiB per container "
                + "— limited to 256MiB");
        assertThat(stack.docker(project, "inspect", "-f",
                "{{.HostConfig.Memory}} {{.HostConfig.MemorySwap}} {{.HostConfig.NanoCpus}} {{.HostConfig.PidsLimit}}",
                "wip-policy-it-clamp").output().trim()).isEqualTo("268435456 268435456 0 128"); // no --cpus: shares the engine
    }
}
