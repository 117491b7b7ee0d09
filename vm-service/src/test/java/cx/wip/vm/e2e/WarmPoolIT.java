package cx.wip.vm.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import cx.wip.gateway.GatewayServer;
import cx.wip.gateway.identity.Tenant;
import cx.wip.proto.vm.v1.State;
import cx.wip.vm.VmServer;

/**
 * The warm pool through the real gateway and vm-service on the local backend (issue 15): a new tenant's first request
 * takes a spare engine instead of waiting for a boot, the pool refills, a spare goes to one tenant only, and a
 * tenant's engine stays its own across a vm-service restart and until it is deleted.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WarmPoolIT {
    private static final String BUSYBOX = "wip-test/busybox:latest";

    private WipStack stack;
    private VmServer vm;
    private GatewayServer gateway;

    @BeforeAll
    void start() {
        stack = new WipStack(Map.of(
                "tenant-a", new Tenant("pool-a", "pool-a", "free"),
                "tenant-b", new Tenant("pool-b", "pool-b", "free"),
                "tenant-tiny", new Tenant("pool-tiny", "pool-tiny", "tiny")));
        vm = stack.startVm(stack.vmPort(), Map.of("vm.pool.size", "1", "vm.pool.plan", "free"));
        gateway = stack.startGateway(stack.vmPort(), Duration.ofSeconds(60));
    }

    @AfterAll
    void stop() {
        stack.close();
    }

    @Test
    void newTenants_takeSpareEngines_thePoolRefills_andEachEngineStaysItsTenantsOwn() throws Exception {
        awaitSpares(1);

        long started = System.nanoTime();
        DockerCli a = cli("tenant-a");
        a.ok("ps");
        long firstMillis = (System.nanoTime() - started) / 1_000_000;

        String engineOfA = engineOf("pool-a");
        assertThat(engineOfA).as("tenant a was handed the spare (first docker ps in %d ms)", firstMillis)
                .matches("_p[0-9a-f]{8}");
        assertThat(stack.status("pool-a").getState()).isEqualTo(State.STATE_RUNNING);
        assertThat(stack.status("pool-a").getBoots()).isEqualTo(1);
        String secret = a.ok("run", "-d", "--name", "mine", BUSYBOX, "sleep", "600");

        awaitSpares(1);
        DockerCli b = cli("tenant-b");
        assertThat(b.ok("ps", "-a", "--no-trunc")).as("a spare holds nobody's containers").doesNotContain(secret);
        String engineOfB = engineOf("pool-b");
        assertThat(engineOfB).matches("_p[0-9a-f]{8}").isNotEqualTo(engineOfA);

        stack.stop(vm);
        vm = stack.startVm(stack.vmPort(), Map.of("vm.pool.size", "1", "vm.pool.plan", "free"));
        assertThat(a.ok("ps", "-q", "--no-trunc")).as("after a vm-service restart, a's engine is still a's")
                .contains(secret);
        assertThat(stack.status("pool-a").getBoots()).isEqualTo(1);

        stack.delete("pool-a");
        assertThat(Files.exists(engines().resolve("pool-a"))).isFalse();
        assertThat(Files.exists(stateDir().resolve(engineOfA))).isFalse();
        assertThat(a.ok("ps", "-a", "-q")).as("a deleted tenant starts afresh").isEmpty();
    }

    @Test
    void aTenantWhosePlanHasAnotherDisk_bootsItsOwnEngine() {
        awaitSpares(1);

        cli("tenant-tiny").ok("ps");

        assertThat(Files.exists(engines().resolve("pool-tiny"))).isFalse();
        assertThat(Files.isDirectory(stateDir().resolve("pool-tiny"))).isTrue();
    }

    private void awaitSpares(int count) {
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
                .until(() -> spares() >= count);
    }

    private long spares() throws IOException {
        Path ready = stateDir().resolve(".pool").resolve("ready");
        if (!Files.isDirectory(ready)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(ready)) {
            return files.count();
        }
    }

    private String engineOf(String tenant) throws IOException {
        return Files.readString(engines().resolve(tenant)).strip();
    }

    private Path engines() {
        return stateDir().resolve(".engines");
    }

    private Path stateDir() {
        return stack.tenantsDir();
    }

    private DockerCli cli(String token) {
        return DockerCli.forTenant(gateway.port(), token);
    }
}
