package cx.wip.vm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import cx.wip.proto.vm.v1.EnsureEndpointRequest;
import cx.wip.proto.vm.v1.EnsureEndpointResponse;
import cx.wip.proto.vm.v1.State;
import cx.wip.proto.vm.v1.StatusRequest;
import cx.wip.proto.vm.v1.TenantRecord;
import cx.wip.proto.vm.v1.VmServiceGrpc;
import cx.wip.vm.backend.local.LocalBackend;
import cx.wip.vm.backend.local.LocalBackendProvider;
import cx.wip.vm.testing.LocalFixture;
import cx.wip.vm.testing.RedisFixture;
import cx.wip.vm.testing.VmProcess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two vm-service PROCESSES (the packaged jar) on one Redis prefix and one host, with the local backend. Their dockerd
 * is a wrapper that, in the first process only and for the tenant named by {@code WIP_TEST_SLOW_TENANT}, waits 8 s
 * before exec'ing the real dockerd: a boot that stays "in the middle" (namespace, disk mounted, dockerd launched, not
 * answering) long enough to crash its owner.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TwoVmProcessesIT {
    private static final java.time.Duration LEASE_TTL = java.time.Duration.ofSeconds(3);

    private final LocalFixture local = LocalFixture.random();
    private final RedisFixture redis = new RedisFixture();
    private final List<VmProcess> processes = new ArrayList<>();
    private Path dir;
    private Path jar;
    private VmProcess slow;
    private VmProcess quick;
    private VmProcess restarted;
    private Map<String, String> properties;
    private List<Long> pairDaemon;

    @BeforeAll
    void start() throws Exception {
        dir = Files.createTempDirectory("wip-vm-processes-");
        jar = VmProcess.copyPackagedJar(dir.resolve("app"));
        Path dockerd = dir.resolve("slow-dockerd");
        Files.writeString(dockerd, """
                #!/bin/sh
                case "$*" in *"/tenants/${WIP_TEST_SLOW_TENANT:-none}/"*) sleep 8;; esac
                exec dockerd "$@"
                """);
        Files.setPosixFilePermissions(dockerd, PosixFilePermissions.fromString("rwxr-xr-x"));
        properties = new HashMap<>(local.backendProperties("vm.backends.local."));
        properties.putAll(Map.of(
                "server.host", "127.0.0.1",
                "vm.backend", "local",
                "vm.backends.local.dockerd", dockerd.toString(),
                "vm.redis.uri", RedisFixture.URI,
                "vm.redis.key-prefix", redis.prefix(),
                "vm.lease-ttl", "PT" + LEASE_TTL.toSeconds() + "S",
                "vm.default-plan", "free",
                "vm.plans.free.disk", "256m",
                "vm.plans.free.idle-after", "PT30M"));
        properties.put("vm.policy.address", ""); // plans from this config: no policy-service in this test
        properties.put("vm.pool.size", "0"); // every tenant here must boot its own engine: the races are the test
        // the slow-boot dockerd wrapper lives in a temp dir, which an engine's private view hides (/tmp is empty there):
        // this test is about exactly one boot across processes, ContainmentIT about the private view
        properties.put("vm.backends.local.containment.private-view", "false");
        slow = launch("vm-slow", properties, Map.of("WIP_TEST_SLOW_TENANT", "orphan"));
        quick = launch("vm-quick", properties, Map.of());
        slow.awaitHealthy();
        quick.awaitHealthy();
    }

    @AfterAll
    void stop() throws Exception {
        for (VmProcess process : processes) {
            process.close();
        }
        ((LocalBackend) new LocalBackendProvider().create(local.backendConfig())).teardown();
        local.removeRoots();
        redis.close();
        try (Stream<Path> copied = Files.walk(dir)) {
            copied.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    @Test
    @Order(1)
    void twentyConcurrentEnsures_splitOverBothProcesses_bootOneDaemon() throws Exception {
        List<Future<EnsureEndpointResponse>> answers = new ArrayList<>();
        try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 20; i++) {
                VmProcess target = i % 2 == 0 ? slow : quick;
                answers.add(callers.submit(() -> ensure(target, "pair")));
            }
        }
        List<EnsureEndpointResponse> responses = new ArrayList<>();
        for (Future<EnsureEndpointResponse> answer : answers) {
            responses.add(answer.get());
        }

        assertThat(responses).hasSize(20).extracting(EnsureEndpointResponse::getEndpoint)
                .containsOnly(responses.getFirst().getEndpoint());
        assertThat(status(slow, "pair").getBoots()).isEqualTo(1);
        assertThat(status(quick, "pair")).isEqualTo(status(slow, "pair"));
        pairDaemon = daemonProcesses("pair");
        assertThat(pairDaemon).hasSize(1);
    }

    @Test
    @Order(2)
    void killingTheLeaseHolderMidBoot_letsTheOtherProcessFinishTheBoot_onceTheLeaseExpires() throws Exception {
        CompletableFuture<Void> abandoned = CompletableFuture.runAsync(() -> ensure(slow, "orphan"));
        await("the slow process mid-boot: lease held, its dockerd launched and not answering yet")
                .atMost(java.time.Duration.ofSeconds(30)).pollInterval(java.time.Duration.ofMillis(50))
                .until(() -> redis.redis().exists(redis.prefix() + "lease:orphan") == 1
                             && daemonProcesses("orphan").size() == 1);
        assertThat(status(quick, "orphan").getState()).isEqualTo(State.STATE_STARTING);

        slow.kill();
        long killed = System.nanoTime();
        restarted = launch("vm-restarted", properties, Map.of());
        EnsureEndpointResponse finished = ensure(quick, "orphan");
        long tookMillis = (System.nanoTime() - killed) / 1_000_000;

        assertThat(abandoned).failsWithin(java.time.Duration.ofSeconds(10));
        assertThat(finished.getBooted()).isTrue();
        TenantRecord record = status(quick, "orphan");
        assertThat(record.getState()).isEqualTo(State.STATE_RUNNING);
        assertThat(record.getBoots()).isEqualTo(1);
        assertThat(record.getEpoch()).isEqualTo(2);
        assertThat(record.getDiskBytes()).isEqualTo(256L << 20);
        assertThat(daemonProcesses("orphan")).as("the dead boot's half-started dockerd is gone").hasSize(1);
        assertThat(loopDevices("orphan")).as("the tenant's disk is mounted once").hasSize(1);
        assertThat(redis.redis().exists(redis.prefix() + "lease:orphan")).isZero();
        System.out.println("TWO-PROCESSES boot finished " + tookMillis + " ms after the lease holder was killed");
    }

    @Test
    @Order(3)
    void aRestartedProcess_adoptsTheRunningDaemons_thatOutlivedTheKilledOne() throws Exception {
        restarted.awaitHealthy();

        EnsureEndpointResponse adopted = ensure(restarted, "pair");

        assertThat(adopted.getBooted()).isFalse();
        assertThat(status(restarted, "pair").getBoots()).isEqualTo(1);
        assertThat(daemonProcesses("pair")).isEqualTo(pairDaemon);
        assertThat(loopDevices("pair")).as("adoption mounts nothing again").hasSize(1);
    }

    private VmProcess launch(String name, Map<String, String> shared, Map<String, String> env) {
        Map<String, String> own = new HashMap<>(shared);
        own.put("server.port", Integer.toString(freePort()));
        VmProcess process = VmProcess.start(jar, name, own, env, dir);
        processes.add(process);
        return process;
    }

    private static EnsureEndpointResponse ensure(VmProcess process, String tenant) {
        return VmServiceGrpc.newBlockingStub(process.channel()).withDeadlineAfter(90, TimeUnit.SECONDS)
                .ensureEndpoint(EnsureEndpointRequest.newBuilder().setTenantId(tenant).setPlan("free")
                                        .setWaitMillis(80_000).build());
    }

    private static TenantRecord status(VmProcess process, String tenant) {
        return VmServiceGrpc.newBlockingStub(process.channel()).withDeadlineAfter(10, TimeUnit.SECONDS)
                .status(StatusRequest.newBuilder().setTenantId(tenant).build()).getRecord();
    }

    /** Processes started as the tenant's dockerd (the wrapper while it waits, then dockerd itself). */
    private List<Long> daemonProcesses(String tenant) throws IOException {
        String pidFile = "/run/wip-test/" + local.name() + "/tenants/" + tenant + "/docker.pid";
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            return procs.filter(proc -> proc.getFileName().toString().matches("\\d+"))
                    .filter(proc -> commandLine(proc).contains(pidFile))
                    .map(proc -> Long.parseLong(proc.getFileName().toString()))
                    .toList();
        }
    }

    private List<String> loopDevices(String tenant) throws Exception {
        Path image = Path.of("/var/lib/wip-test", local.name(), "tenants", tenant + ".ext4");
        Process losetup = new ProcessBuilder("losetup", "-j", image.toString()).redirectErrorStream(true).start();
        String output = new String(losetup.getInputStream().readAllBytes()).strip();
        losetup.waitFor();
        return output.isEmpty() ? List.of() : List.of(output.split("\n"));
    }

    private static String commandLine(Path proc) {
        try {
            return Files.readString(proc.resolve("cmdline")).replace('\0', ' ');
        } catch (IOException e) {
            return "";
        }
    }

    private static int freePort() {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
