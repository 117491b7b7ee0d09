package cx.wip.vm.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
 * Engines that sleep with their apps and wake on the next API call, through the real gateway, vm-service and a
 * tenant dockerd (issue 15). The HTTP-hit side of waking is ingress-service's (its own tests).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SleepWakeIT {
    private static final String BUSYBOX = "wip-test/busybox:latest";

    private WipStack stack;
    private cx.wip.gateway.GatewayServer gateway;

    @BeforeAll
    void start() {
        stack = new WipStack(Map.of(
                "tenant-dreamy", new Tenant("sleep-apps", "sleep-apps", "dreamy"),
                "tenant-session", new Tenant("sleep-session", "sleep-session", "dreamy"),
                "tenant-awake", new Tenant("sleep-awake", "sleep-awake", "sleepy")));
        stack.startVm(stack.vmPort());
        gateway = stack.startGateway(stack.vmPort(), Duration.ofSeconds(60));
    }

    @AfterAll
    void stop() {
        stack.close();
    }

    @Test
    void anIdleEngine_sleepsWithItsApps_andTheNextDockerCallWakesThemWithTheirVolume() {
        DockerCli docker = cli("tenant-dreamy");
        docker.ok("volume", "create", "data");
        String app = docker.ok("run", "-d", "--name", "app", "-v", "data:/data", BUSYBOX,
                               "sh", "-c", "date >> /data/starts; exec sleep 600");
        // joins app's network: it can start only once app runs (and the engine lists it first, newest first)
        String side = docker.ok("run", "-d", "--name", "side", "--network", "container:app", BUSYBOX, "sleep", "600");
        long dockerd = stack.dockerdPid("sleep-apps");

        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                .until(() -> stack.status("sleep-apps").getState() == State.STATE_ASLEEP);
        TenantRecord asleep = stack.status("sleep-apps");
        assertThat(asleep.getAsleepContainersList()).containsExactlyInAnyOrder(app, side);
        assertThat(asleep.getWakefulness().getSummary()).startsWith("asleep since ")
                .contains("2 containers to start again (the engine stopped); the next API call or HTTP hit wakes it");
        await().atMost(Duration.ofSeconds(30)).until(() -> ProcessHandle.of(dockerd).filter(ProcessHandle::isAlive)
                .isEmpty());

        long started = System.nanoTime();
        String running = docker.ok("ps", "-q", "--no-trunc");
        long wakeMillis = (System.nanoTime() - started) / 1_000_000;

        assertThat(running).as("woken in %d ms", wakeMillis).contains(app).contains(side);
        TenantRecord awake = stack.status("sleep-apps");
        assertThat(awake.getState()).isEqualTo(State.STATE_RUNNING);
        assertThat(awake.getBoots()).isEqualTo(2);
        assertThat(awake.getAsleepContainersList()).isEmpty();
        assertThat(awake.getWakefulness().getSummary()).startsWith("awake: 2 running containers")
                .contains("last API call").contains("if nothing happens");
        assertThat(awake.getWakefulness().getRunningContainers()).isEqualTo(2);
        assertThat(docker.ok("run", "--rm", "-v", "data:/data", BUSYBOX, "wc", "-l", "/data/starts"))
                .as("the app ran again, on the same volume").startsWith("2 ");
    }

    @Test
    void anOpenSession_keepsAnEngineWithAppsAwake_andItSleepsOnceTheSessionEnds() throws Exception {
        DockerCli docker = cli("tenant-session");
        docker.ok("run", "-d", "--name", "chatty", BUSYBOX, "sh", "-c", "while true; do date; sleep 1; done");
        Process follow = docker.start("logs", "-f", "chatty");
        try {
            Thread.sleep(6_000);
            TenantRecord record = stack.status("sleep-session");
            assertThat(record.getState()).as("twice the idle time with `docker logs -f` open").isEqualTo(State.STATE_RUNNING);
            assertThat(record.getWakefulness().getReasonsList()).anyMatch(r -> r.startsWith("an open session"));
        } finally {
            follow.destroy();
        }
        await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(250))
                .until(() -> stack.status("sleep-session").getState() == State.STATE_ASLEEP);
    }

    @Test
    void runningContainers_keepAnEngineAwake_whenThePlanDoesNotLetAppsSleep_andItSaysSo() throws Exception {
        DockerCli docker = cli("tenant-awake");
        docker.ok("run", "-d", BUSYBOX, "sleep", "600");

        Thread.sleep(4_000);

        TenantRecord record = stack.status("sleep-awake");
        assertThat(record.getState()).isEqualTo(State.STATE_RUNNING);
        assertThat(record.getWakefulness().getSummary())
                .contains("1 running container (plan sleepy keeps engines with running containers awake)")
                .endsWith("stays awake while containers run");
        assertThat(record.getWakefulness().getSleepsAtMillis()).isZero();
    }

    private DockerCli cli(String token) {
        return DockerCli.forTenant(gateway.port(), token);
    }

}
