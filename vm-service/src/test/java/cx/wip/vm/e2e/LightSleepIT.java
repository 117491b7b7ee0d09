package cx.wip.vm.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import cx.wip.gateway.identity.Tenant;
import cx.wip.proto.vm.v1.State;
import cx.wip.proto.vm.v1.TenantRecord;

/**
 * The light sleep (issue 15): an idle engine's apps are frozen first (no CPU, memory and engine kept) and the next
 * API call thaws them in milliseconds; after {@code vm.sleep.frozen-for} the sleep deepens (the engine stops) and a
 * wake boots it and starts them again. Real gateway (caching the engine's address), vm-service and tenant dockerd.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LightSleepIT {
    private static final String BUSYBOX = "wip-test/busybox:latest";
    private static final Duration FROZEN_FOR = Duration.ofSeconds(6);

    private WipStack stack;
    private cx.wip.gateway.GatewayServer gateway;

    @BeforeAll
    void start() {
        stack = new WipStack(Map.of(
                "tenant-light", new Tenant("light", "light", "dreamy"),
                "tenant-deep", new Tenant("deepening", "deepening", "dreamy")));
        stack.startVm(stack.vmPort(), Map.of("vm.sleep.frozen-for", FROZEN_FOR.toString()));
        gateway = stack.startGateway(stack.vmPort(), Duration.ofSeconds(60));
    }

    @AfterAll
    void stop() {
        stack.close();
    }

    @Test
    void anIdleEngine_freezesItsApps_usesNoCpuAsleep_andTheNextCallThawsThemWithoutABoot() throws Exception {
        DockerCli docker = DockerCli.forTenant(gateway.port(), "tenant-light");
        String ticker = docker.ok("run", "-d", "--name", "ticker", BUSYBOX,
                                  "sh", "-c", "while :; do usleep 20000; done");
        long dockerd = stack.dockerdPid("light");

        awaitFrozen("light");
        TenantRecord asleep = stack.status("light");
        assertThat(asleep.getAsleepContainersList()).containsExactly(ticker);
        assertThat(asleep.getWakefulness().getSummary()).contains("1 container frozen (light sleep");
        long cpu = cpuNanos("light");
        Thread.sleep(1_000);
        assertThat(cpuNanos("light")).as("CPU used by the frozen apps in a second").isEqualTo(cpu);
        assertThat(ProcessHandle.of(dockerd).filter(ProcessHandle::isAlive)).as("the engine kept running").isPresent();

        long started = System.nanoTime();
        String running = docker.ok("ps", "-q", "--no-trunc");
        long wakeMillis = (System.nanoTime() - started) / 1_000_000;

        // the gateway still had the engine's address: its own silence made it ask vm-service, which thawed first
        TenantRecord awake = stack.status("light");
        assertThat(awake.getState()).as("right after the call that woke it (%d ms)", wakeMillis)
                .isEqualTo(State.STATE_RUNNING);
        assertThat(freezerState("light")).isEqualTo("THAWED");
        assertThat(running).contains(ticker);
        assertThat(awake.getBoots()).as("a thaw, not a boot").isEqualTo(1);
        assertThat(stack.dockerdPid("light")).isEqualTo(dockerd);
        long thawed = cpuNanos("light");
        await().atMost(Duration.ofSeconds(5)).until(() -> cpuNanos("light") > thawed);
        assertThat(docker.ok("exec", "ticker", "echo", "alive")).isEqualTo("alive");
    }

    @Test
    void aLongLightSleep_deepens_theEngineStops_andAWakeBootsItAndStartsTheApps() throws Exception {
        DockerCli docker = DockerCli.forTenant(gateway.port(), "tenant-deep");
        docker.ok("volume", "create", "data");
        String app = docker.ok("run", "-d", "--name", "app", "-v", "data:/data", BUSYBOX,
                               "sh", "-c", "date >> /data/starts; exec sleep 600");
        long dockerd = stack.dockerdPid("deepening");

        awaitFrozen("deepening");
        await().atMost(FROZEN_FOR.plusSeconds(30)).pollInterval(Duration.ofMillis(250))
                .until(() -> ProcessHandle.of(dockerd).filter(ProcessHandle::isAlive).isEmpty());
        TenantRecord deep = stack.status("deepening");
        assertThat(deep.getState()).isEqualTo(State.STATE_ASLEEP);
        assertThat(deep.getAsleepContainersList()).containsExactly(app);
        assertThat(deep.getWakefulness().getSummary()).contains("1 container to start again (the engine stopped)");

        assertThat(docker.ok("ps", "-q", "--no-trunc")).contains(app);
        TenantRecord awake = stack.status("deepening");
        assertThat(awake.getState()).isEqualTo(State.STATE_RUNNING);
        assertThat(awake.getBoots()).isEqualTo(2);
        assertThat(docker.ok("run", "--rm", "-v", "data:/data", BUSYBOX, "wc", "-l", "/data/starts"))
                .as("the app ran again, on the same volume").startsWith("2 ");
    }

    private void awaitFrozen(String tenant) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> stack.status(tenant).getState() == State.STATE_ASLEEP
                             && "FROZEN".equals(freezerState(tenant)));
    }

    /** The cgroup parent of the tenant's containers, in controller {@code controller}. */
    private Path cgroup(String controller, String tenant) {
        return Path.of("/sys/fs/cgroup", controller, stack.local().name(), tenant);
    }

    private String freezerState(String tenant) throws IOException {
        Path state = cgroup("freezer", tenant).resolve("freezer.state");
        return Files.exists(state) ? Files.readString(state).strip() : "";
    }

    private long cpuNanos(String tenant) throws IOException {
        return Long.parseLong(Files.readString(cgroup("cpuacct", tenant).resolve("cpuacct.usage")).strip());
    }
}
