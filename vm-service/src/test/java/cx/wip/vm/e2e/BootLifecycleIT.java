package cx.wip.vm.e2e;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import cx.wip.gateway.GatewayServer;
import cx.wip.gateway.identity.Tenant;
import cx.wip.proto.vm.v1.EnsureEndpointRequest;
import cx.wip.proto.vm.v1.EnsureEndpointResponse;
import cx.wip.proto.vm.v1.State;
import cx.wip.proto.vm.v1.VmServiceGrpc;
import cx.wip.vm.VmServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Boots through the real gateway: on first use, exactly once, adopted after restarts, stopped when idle, revived.
 * Two vm-service processes on one Redis: {@code TwoVmProcessesIT}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BootLifecycleIT {
    private static final String BUSYBOX = "wip-test/busybox:latest";

    private WipStack stack;
    private VmServer vm;
    private GatewayServer gateway;

    @BeforeAll
    void start() {
        stack = new WipStack(Map.of(
                "tenant-new", new Tenant("boot-new", "boot-new", "free"),
                "tenant-crowd", new Tenant("boot-crowd", "boot-crowd", "free"),
                "tenant-restart", new Tenant("boot-restart", "boot-restart", "free"),
                "tenant-idle", new Tenant("boot-idle", "boot-idle", "sleepy"),
                "tenant-kill", new Tenant("boot-kill", "boot-kill", "free"),
                "tenant-slow", new Tenant("boot-slow", "boot-slow", "free"),
                "tenant-elder", new Tenant("boot-elder", "boot-elder", "free"),
                "tenant-younger", new Tenant("boot-younger", "boot-younger", "free"),
                "tenant-busy", new Tenant("boot-busy", "boot-busy", "free")));
        vm = stack.startVm(stack.vmPort());
        gateway = stack.startGateway(stack.vmPort(), Duration.ofSeconds(60));
    }

    @AfterAll
    void stop() {
        stack.close();
    }

    @Test
    void theFirstRequestOfANewTenant_bootsItsDaemon_andSucceeds() {
        assertThat(stack.status("boot-new").getState()).isEqualTo(State.STATE_UNSPECIFIED);

        assertThat(cli("tenant-new").run("ps").ok()).isTrue();

        assertThat(stack.status("boot-new").getState()).isEqualTo(State.STATE_RUNNING);
        assertThat(stack.status("boot-new").getBoots()).isEqualTo(1);
    }

    @Test
    void hundredConcurrentFirstRequests_bootExactlyOnce() throws Exception {
        List<Integer> statuses = concurrentRequests(100, List.of(gateway), "tenant-crowd");

        assertThat(statuses).hasSize(100).containsOnly(200);
        assertThat(stack.status("boot-crowd").getBoots()).isEqualTo(1);
    }

    @Test
    void aRestartedVmService_adoptsRunningDaemonsInsteadOfBootingThem() throws Exception {
        DockerCli docker = cli("tenant-restart");
        String container = docker.ok("run", "-d", BUSYBOX, "sleep", "600");

        stack.stop(vm);
        vm = stack.startVm(stack.vmPort());
        EnsureEndpointResponse adopted = ensureDirectly("boot-restart");

        assertThat(adopted.getBooted()).isFalse();
        assertThat(stack.status("boot-restart").getBoots()).isEqualTo(1);
        assertThat(docker.ok("ps", "-q", "--no-trunc")).contains(container);
    }

    /**
     * An engine booted while another's disk is mounted must not keep a copy of that mount in its private view: the
     * other engine's disk would stay attached after it stopped, and its next boot (a wake, a restart) failed with
     * "the disk … is still held by its previous engine" for as long as the younger engine ran.
     */
    @Test
    void anEngineStopped_bootsAgain_whileAnEngineBootedAfterItRuns() {
        cli("tenant-elder").ok("ps");
        cli("tenant-younger").ok("ps");

        stack.stopTenant("boot-elder");

        assertThat(cli("tenant-elder").run("ps").ok()).isTrue();
        assertThat(stack.status("boot-elder").getBoots()).isEqualTo(2);
        assertThat(stack.status("boot-younger").getState()).isEqualTo(State.STATE_RUNNING);
    }

    /**
     * A dockerd that misses a ping (here: stopped for two seconds, as a burst of work or a loaded host can make it)
     * is waited for, not killed and booted again with its containers.
     */
    @Test
    void aDockerdThatAnswersLate_isKept_notReplaced() throws Exception {
        DockerCli docker = cli("tenant-busy");
        String app = docker.ok("run", "-d", BUSYBOX, "sleep", "600");
        long dockerd = stack.dockerdPid("boot-busy");
        new ProcessBuilder("kill", "-STOP", Long.toString(dockerd)).start().waitFor();
        Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(2_000);
                new ProcessBuilder("kill", "-CONT", Long.toString(dockerd)).start().waitFor();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });

        stack.ensure("boot-busy", "free");

        assertThat(stack.status("boot-busy").getBoots()).isEqualTo(1);
        assertThat(stack.dockerdPid("boot-busy")).isEqualTo(dockerd);
        assertThat(docker.ok("ps", "-q", "--no-trunc")).contains(app);
    }

    @Test
    void anIdleTenant_isStopped_andTheNextDockerPsWakesIt() {
        DockerCli docker = cli("tenant-idle");
        docker.ok("ps");
        long dockerd = stack.dockerdPid("boot-idle");

        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                .until(() -> stack.status("boot-idle").getState() == State.STATE_STOPPED);
        assertThat(ProcessHandle.of(dockerd).filter(ProcessHandle::isAlive)).isEmpty();

        assertThat(docker.run("ps").ok()).isTrue();
        assertThat(stack.status("boot-idle").getState()).isEqualTo(State.STATE_RUNNING);
        assertThat(stack.status("boot-idle").getBoots()).isEqualTo(2);
    }

    /**
     * The killed dockerd leaves containerd's pid file behind. Its number is from the old engine's pid namespace; in
     * the new one a low number is often taken (pid 1 always is), and dockerd then waits for "its" containerd forever
     * ("timeout waiting for containerd to start": a CI failure, about one run in three under load). The test makes
     * that collision certain.
     */
    @Test
    void aKilledDockerd_isBroughtBackByTheNextRequest() throws java.io.IOException {
        DockerCli docker = cli("tenant-kill");
        docker.ok("ps");
        ProcessHandle.of(stack.dockerdPid("boot-kill")).ifPresent(ProcessHandle::destroyForcibly);
        Files.writeString(stack.tenantsDir().resolve("boot-kill/exec/containerd/containerd.pid"), "1");

        DockerCli.Result again = docker.run("ps");

        assertThat(again.ok()).as(again.output()).isTrue();
        assertThat(stack.status("boot-kill").getBoots()).isEqualTo(2);
    }

    @Test
    void aBootPastTheGatewaysDeadline_printsStillStarting_andALaterRetryWorks() {
        GatewayServer impatient = stack.startGateway(stack.vmPort(), Duration.ofMillis(50));
        DockerCli docker = DockerCli.forTenant(impatient.port(), "tenant-slow");

        DockerCli.Result first = docker.run("ps");

        assertThat(first.ok()).isFalse();
        // the gateway's JSON encoding of the dash is the gateway's business; the words are ours
        assertThat(first.output()).contains("Error response from daemon: your environment is still starting")
                .contains("retry in a moment");
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> docker.run("ps").ok());
        assertThat(stack.status("boot-slow").getBoots()).isEqualTo(1);
    }

    private DockerCli cli(String token) {
        return DockerCli.forTenant(gateway.port(), token);
    }


    private EnsureEndpointResponse ensureDirectly(String tenant) {
        ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", stack.vmPort()).usePlaintext().build();
        try {
            return VmServiceGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS)
                    .ensureEndpoint(EnsureEndpointRequest.newBuilder().setTenantId(tenant).setPlan("free").build());
        } finally {
            channel.shutdownNow();
        }
    }

    /** {@code GET /containers/json} as the tenant, spread over the gateways, all at once. */
    private static List<Integer> concurrentRequests(int count, List<GatewayServer> gateways, String token)
            throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                GatewayServer target = gateways.get(i % gateways.size());
                HttpRequest request = HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + target.port() + "/v1.41/containers/json"))
                        .header("Authorization", "Bearer " + token)
                        .timeout(Duration.ofSeconds(90))
                        .build();
                answers.add(threads.submit(() -> http.send(request, HttpResponse.BodyHandlers.discarding())
                        .statusCode()));
            }
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> answer : answers) {
                statuses.add(answer.get());
            }
            return statuses;
        }
    }
}
