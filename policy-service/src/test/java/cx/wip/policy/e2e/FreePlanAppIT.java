package cx.wip.policy.e2e;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 13: a real app fits the free plan. Six services (web, worker, db, cache, proxy, a one-shot job that exits) —
 * some with {@code mem_limit}/{@code cpus}, most without — come up through the gateway and the real policy, restart,
 * go down and come up again. Before, every container got the plan's 512 MiB and exited ones counted: this failed.
 */
class FreePlanAppIT {
    private static final String PROJECT = "wipfreeplan";
    private static final String IMAGE = Stack.IMAGE;
    private static Stack stack;

    @TempDir
    static Path work;

    @BeforeAll
    static void start() throws Exception {
        stack = Stack.startOnFreePlan();
        Stack.removeProject(PROJECT);
        Files.writeString(work.resolve("docker-compose.yml"), """
                version: "2.4"
                services:
                  web: {image: "%1$s", command: ["httpd", "-f", "-p", "8080"], ports: ["127.0.0.1::8080"]}
                  worker: {image: "%1$s", command: ["sleep", "3600"]}
                  db: {image: "%1$s", command: ["sleep", "3600"], mem_limit: 256m}
                  cache: {image: "%1$s", command: ["sleep", "3600"], mem_limit: 128m}
                  proxy: {image: "%1$s", command: ["sleep", "3600"], cpus: 0.5}
                  job: {image: "%1$s", command: ["true"]}
                """.formatted(IMAGE));
    }

    @AfterAll
    static void stop() throws Exception {
        Stack.removeProject(PROJECT);
        stack.close();
    }

    @Test
    void sixServicesComeUp_restart_andComeUpAgainAfterDown() throws Exception {
        Stack.Result up = stack.compose(work, PROJECT, "up", "-d");
        assertThat(up.exit()).as(up.output()).isZero();
        assertThat(running()).isEqualTo(5);

        Stack.Result restart = stack.compose(work, PROJECT, "restart");
        assertThat(restart.exit()).as(restart.output()).isZero();
        assertThat(running()).isEqualTo(5);

        Stack.Result down = stack.compose(work, PROJECT, "down");
        assertThat(down.exit()).as(down.output()).isZero();
        Stack.Result again = stack.compose(work, PROJECT, "up", "-d");
        assertThat(again.exit()).as(again.output()).isZero();
        assertThat(running()).isEqualTo(5);
    }

    /** Over its -m, a container is OOM-killed and the CLI's usual signal says so through wip: OOMKilled in inspect. */
    @Test
    void anOomKilledContainer_showsOomKilledInInspect() throws Exception {
        String name = PROJECT + "-oom";
        try {
            Stack.Result run = stack.docker(work, "run", "--name", name, "-m", "16m", IMAGE, "sh", "-c",
                    "x=$(head -c 100000000 /dev/zero | tr '\\0' x); echo survived");
            assertThat(run.output()).doesNotContain("Error response from daemon");
            // the kernel picks which process dies (the shell: exit 137; head or tr: the shell goes on); the flag is set
            assertThat(stack.docker(work, "inspect", "-f", "{{.State.OOMKilled}}", name).output().trim())
                    .isEqualTo("true");
        } finally {
            Stack.host("rm", "-f", name);
        }
    }

    private static long running() throws Exception {
        String ids = Stack.host("ps", "-q", "--filter", "label=com.docker.compose.project=" + PROJECT).output().trim();
        return ids.isEmpty() ? 0 : ids.split("\\s+").length;
    }
}
