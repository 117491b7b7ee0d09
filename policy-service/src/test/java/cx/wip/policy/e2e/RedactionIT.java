package cx.wip.policy.e2e;

import java.nio.file.Path;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** What the CLI shows through the gateway: the tenant's plan, no host details; every command still parses. */
class RedactionIT {
    private static final String VOLUME = "wip-policy-it-redact";
    private static Stack stack;
    private static String hostKernel;

    @TempDir
    static Path work;

    @BeforeAll
    static void start() throws Exception {
        stack = Stack.start();
        hostKernel = Stack.host("info", "-f", "{{.KernelVersion}}").output().trim();
    }

    @AfterAll
    static void stop() throws Exception {
        Stack.host("rm", "-f", VOLUME);
        Stack.host("volume", "rm", "-f", VOLUME);
        stack.close();
    }

    @Test
    void dockerInfo_showsThePlan_andNoHostDetails() throws Exception {
        Stack.Result info = stack.docker(work, "info");

        assertThat(info.exit()).as(info.output()).isZero();
        assertThat(info.output()).contains(" CPUs: 1\n").contains(" Total Memory: 8GiB\n")
                .contains(" Name: policy-e2e\n").contains(" Operating System: wip\n")
                .doesNotContain("/var/lib/docker").doesNotContain(hostKernel);
    }

    @Test
    void versionAndInspect_keepTheirShape_withoutHostPaths() throws Exception {
        assertThat(stack.docker(work, "volume", "create", VOLUME).exit()).isZero();
        assertThat(stack.docker(work, "create", "--name", VOLUME, "-v", VOLUME + ":/data", Stack.IMAGE).exit())
                .isZero();

        Stack.Result version = stack.docker(work, "version");
        Stack.Result volume = stack.docker(work, "volume", "inspect", "-f", "[{{.Mountpoint}}]", VOLUME);
        Stack.Result container = stack.docker(work, "inspect", "-f",
                "[{{range .Mounts}}{{.Name}}={{.Source}}{{end}}] [{{.HostsPath}}] [{{.GraphDriver.Data}}]", VOLUME);

        assertThat(version.exit()).as(version.output()).isZero();
        assertThat(version.output()).doesNotContain(hostKernel);
        assertThat(volume.output().trim()).isEqualTo("[]");
        assertThat(container.output().trim()).isEqualTo("[" + VOLUME + "=] [] [map[]]");
    }
}
