package cx.wip.policy.e2e;

import java.nio.file.Path;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** A gateway whose policy-service is down refuses what needs review (503, said plainly) and keeps serving reads. */
class FailClosedIT {
    private static Stack stack;

    @TempDir
    static Path work;

    @BeforeAll
    static void start() throws Exception {
        stack = Stack.withoutPolicy();
    }

    @AfterAll
    static void stop() throws Exception {
        stack.close();
        Stack.host("rm", "-f", "wip-policy-it-closed");
        Stack.host("network", "rm", "wip-policy-it-closed");
        Stack.host("volume", "rm", "wip-policy-it-closed");
    }

    @Test
    void reviewedOperations_areRefusedWithAClearMessage() throws Exception {
        for (String[] command : new String[][] {
                {"create", "--name", "wip-policy-it-closed", Stack.IMAGE},
                {"network", "create", "wip-policy-it-closed"},
                {"volume", "create", "wip-policy-it-closed"}}) {
            Stack.Result result = stack.docker(work, command);

            assertThat(result.exit()).as(result.output()).isNotZero();
            assertThat(result.output()).contains("Error response from daemon: wip: the policy service is "
                    + "unreachable — requests that need review");
        }
    }

    @Test
    void reads_keepWorking() throws Exception {
        for (String[] command : new String[][] {{"version"}, {"ps", "-a"}, {"images"}, {"network", "ls"},
                {"volume", "ls"}, {"info"}}) {
            Stack.Result result = stack.docker(work, command);

            assertThat(result.exit()).as(String.join(" ", command) + ": " + result.output()).isZero();
        }
    }
}
