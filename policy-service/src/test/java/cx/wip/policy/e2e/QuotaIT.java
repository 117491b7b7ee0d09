package cx.wip.policy.e2e;

import java.nio.file.Path;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** Plan tiny allows 2 containers: the third create is refused with the numbers (usage read from the daemon). */
class QuotaIT {
    private static final String[] NAMES = {"wip-policy-it-q1", "wip-policy-it-q2", "wip-policy-it-q3"};
    private static Stack stack;

    @TempDir
    static Path work;

    @BeforeAll
    static void start() throws Exception {
        stack = Stack.startOnTinyPlan();
        remove();
        assertThat(Stack.host("ps", "-aq", "--filter", "label=cx.wip.memory").output().trim())
                .as("containers the policy allowed earlier are still on the daemon").isEmpty();
    }

    @org.junit.jupiter.api.AfterEach
    void removeTheContainersOfEachTest() throws Exception {
        remove();
    }

    @AfterAll
    static void stop() throws Exception {
        remove();
        stack.close();
    }

    private static void remove() throws Exception {
        String[] rm = new String[NAMES.length + 2];
        rm[0] = "rm";
        rm[1] = "-f";
        System.arraycopy(NAMES, 0, rm, 2, NAMES.length);
        Stack.host(rm);
    }

    @Test
    void createBeyondThePlansContainerCount_isRefusedWithTheNumbers() throws Exception {
        assertThat(stack.docker(work, "create", "--name", NAMES[0], Stack.IMAGE).exit()).isZero();
        assertThat(stack.docker(work, "create", "--name", NAMES[1], Stack.IMAGE).exit()).isZero();

        Stack.Result third = stack.docker(work, "create", "--name", NAMES[2], Stack.IMAGE);

        assertThat(third.exit()).isNotZero();
        assertThat(third.output()).contains("Error response from daemon: wip: plan tiny allows 2 containers that are "
                + "not exited and you have 2");
    }

    /** Issue 13: exited containers hold nothing — docker users leave them around, and the next run still works. */
    @Test
    void exitedContainersDoNotCount() throws Exception {
        String[] names = {NAMES[0] + "-x1", NAMES[0] + "-x2", NAMES[0] + "-x3"};
        try {
            for (String name : names) {
                assertThat(stack.docker(work, "run", "--name", name, Stack.IMAGE, "true").exit()).isZero();
            }
        } finally {
            String[] rm = new String[names.length + 2];
            rm[0] = "rm";
            rm[1] = "-f";
            System.arraycopy(names, 0, rm, 2, names.length);
            Stack.host(rm);
        }
    }
}
