package cx.wip.vm.boot;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import cx.wip.vm.testing.RedisFixture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Exactly-once boots against the real Redis, with an in-memory host so timing is under the test's control. */
class BootCoordinatorIT {
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final RedisFixture redis = new RedisFixture();
    private final FakeHost host = new FakeHost();
    private final List<VmRuntime> runtimes = new ArrayList<>();

    @AfterEach
    void close() {
        runtimes.forEach(VmRuntime::close);
        redis.close();
    }

    @Test
    void hundredConcurrentEnsures_inOneProcess_bootOnce() throws Exception {
        host.bootDelay(Duration.ofMillis(300));
        BootCoordinator vm = runtime(Duration.ofSeconds(5), "PT30M").coordinator();

        List<Ensured> answers = concurrently(100, () -> vm.ensure("alpha", "free", WAIT));

        assertThat(answers).hasSize(100).containsOnly(answers.getFirst());
        assertThat(host.boots("alpha")).isEqualTo(1);
        assertThat(vm.status("alpha").boots()).isEqualTo(1);
        assertThat(vm.status("alpha").state()).isEqualTo(State.RUNNING);
    }

    @Test
    void twoReplicas_onOneRedis_bootOnce() throws Exception {
        host.bootDelay(Duration.ofMillis(300));
        BootCoordinator one = runtime(Duration.ofSeconds(5), "PT30M").coordinator();
        BootCoordinator two = runtime(Duration.ofSeconds(5), "PT30M").coordinator();

        List<Ensured> answers = concurrently(60, () -> (Math.random() < 0.5 ? one : two).ensure("beta", "", WAIT));

        assertThat(answers).extracting(Ensured::endpoint).containsOnly(answers.getFirst().endpoint());
        assertThat(host.boots("beta")).isEqualTo(1);
        assertThat(host.maxConcurrentBoots()).isEqualTo(1);
    }

    @Test
    void slowBoot_longerThanTheLeaseTtl_keepsItsLeaseByRenewal() throws Exception {
        host.bootDelay(Duration.ofMillis(2500));
        BootCoordinator one = runtime(Duration.ofMillis(600), "PT30M").coordinator();
        BootCoordinator two = runtime(Duration.ofMillis(600), "PT30M").coordinator();

        List<Ensured> answers = concurrently(10, () -> (Math.random() < 0.5 ? one : two).ensure("gamma", "", WAIT));

        assertThat(answers).hasSize(10);
        assertThat(host.boots("gamma")).isEqualTo(1);
        assertThat(host.maxConcurrentBoots()).isEqualTo(1);
    }

    @Test
    void ensure_pastItsWait_saysStillStarting_andTheBootGoesOn() {
        host.bootDelay(Duration.ofMillis(1500));
        BootCoordinator vm = runtime(Duration.ofSeconds(5), "PT30M").coordinator();

        assertThatThrownBy(() -> vm.ensure("delta", "", Duration.ofMillis(200)))
                .isInstanceOf(VmException.StillStarting.class)
                .hasMessage("your environment is still starting — retry in a moment");
        Ensured later = vm.ensure("delta", "", WAIT);

        assertThat(later.endpoint()).isNotNull();
        assertThat(host.boots("delta")).isEqualTo(1);
    }

    @Test
    void backendFailure_isReported_andLeavesNothingThatBlocksTheNextAttempt() {
        host.failNextBoots(1);
        BootCoordinator vm = runtime(Duration.ofSeconds(5), "PT30M").coordinator();

        assertThatThrownBy(() -> vm.ensure("epsilon", "", WAIT))
                .isInstanceOf(VmException.BootFailed.class)
                .hasMessageContaining("fake boot failure of epsilon");
        assertThat(vm.status("epsilon").state()).isEqualTo(State.FAILED);
        assertThat(redis.redis().exists(redis.prefix() + "lease:epsilon")).isZero();

        Ensured retried = vm.ensure("epsilon", "", WAIT);
        assertThat(retried.booted()).isTrue();
        assertThat(vm.status("epsilon").state()).isEqualTo(State.RUNNING);
    }

    @Test
    void aStaleEpoch_cannotWrite_afterAnotherReplicaTookTheLease() {
        runtime(Duration.ofSeconds(5), "PT30M");
        RedisKeys keys = new RedisKeys(redis.prefix());
        Leases leases = new Leases(redis.redis(), keys, Duration.ofSeconds(5),
                                   Executors.newSingleThreadScheduledExecutor());
        RecordStore records = new RecordStore(redis.redis(), keys);
        Lease old = leases.tryAcquire("zeta").orElseThrow();
        redis.redis().del(keys.lease("zeta"));
        Lease current = leases.tryAcquire("zeta").orElseThrow();

        assertThat(records.stopped(old)).isFalse();
        assertThat(records.stopped(current)).isTrue();
        assertThat(current.epoch()).isGreaterThan(old.epoch());
        old.close();
        assertThat(redis.redis().get(keys.lease("zeta"))).isEqualTo(current.token());
        current.close();
    }

    @Test
    void aRestartedReplica_adoptsTheRunningDaemon() {
        VmRuntime first = runtime(Duration.ofSeconds(5), "PT30M");
        first.coordinator().ensure("eta", "", WAIT);
        first.close();
        runtimes.remove(first);

        Ensured adopted = runtime(Duration.ofSeconds(5), "PT30M").coordinator().ensure("eta", "", WAIT);

        assertThat(adopted.booted()).isFalse();
        assertThat(host.boots("eta")).isEqualTo(1);
    }

    @Test
    void aDeadDaemon_isBootedAgainByTheNextEnsure() {
        BootCoordinator vm = runtime(Duration.ofSeconds(5), "PT30M").coordinator();
        vm.ensure("theta", "", WAIT);
        host.kill("theta");

        Ensured again = vm.ensure("theta", "", WAIT);

        assertThat(again.booted()).isTrue();
        assertThat(host.boots("theta")).isEqualTo(2);
    }

    @Test
    void anIdleTenant_isStopped_andTheNextEnsureWakesIt() {
        BootCoordinator vm = runtime(Duration.ofSeconds(5), "PT0.4S").coordinator();
        vm.ensure("iota", "", WAIT);

        await().atMost(Duration.ofSeconds(5)).until(() -> vm.status("iota").state() == State.STOPPED);
        assertThat(host.isRunning("iota")).isFalse();

        assertThat(vm.ensure("iota", "", WAIT).booted()).isTrue();
        assertThat(host.boots("iota")).isEqualTo(2);
    }

    @Test
    void aTenantWithRunningContainers_isNeverStoppedAsIdle() throws InterruptedException {
        host.busy(true);
        BootCoordinator vm = runtime(Duration.ofSeconds(5), "PT0.2S").coordinator();
        vm.ensure("kappa", "", WAIT);

        Thread.sleep(1200);

        assertThat(vm.status("kappa").state()).isEqualTo(State.RUNNING);
        assertThat(host.isRunning("kappa")).isTrue();
    }

    @Test
    void reportedActivity_keepsATenantFromBeingStopped() throws InterruptedException {
        BootCoordinator vm = runtime(Duration.ofSeconds(5), "PT1S").coordinator();
        vm.ensure("lambda", "", WAIT);

        for (int i = 0; i < 8; i++) {
            vm.activity(List.of("lambda"), List.of(), List.of());
            Thread.sleep(250);
        }

        assertThat(vm.status("lambda").state()).isEqualTo(State.RUNNING);
        assertThat(vm.status("lambda").lastActivity()).isPositive();
    }

    @Test
    void openSessionsAndHttpHits_keepAnEngineWithApps_awake_andSayWhy() throws InterruptedException {
        host.busy(true);
        BootCoordinator vm = runtime(Duration.ofSeconds(5), "PT1S", true).coordinator();
        vm.ensure("nu", "", WAIT);

        for (int i = 0; i < 8; i++) {
            vm.activity(List.of(), i % 2 == 0 ? List.of("nu") : List.of(), i % 2 == 1 ? List.of("nu") : List.of());
            Thread.sleep(250);
        }

        TenantRecord record = vm.status("nu");
        assertThat(record.state()).isEqualTo(State.RUNNING);
        assertThat(record.lastSession()).isPositive();
        assertThat(record.lastHttp()).isPositive();
        Wakefulness why = vm.wakefulness(record);
        assertThat(why.summary()).startsWith("awake: 1 running container, an open session")
                .contains("last HTTP hit").contains("sleeps in").contains("if nothing happens");
        assertThat(why.sleepsAt()).isGreaterThan(System.currentTimeMillis());
    }

    @Test
    void anIdleEngineWithApps_fallsAsleep_whenItsPlanSaysSo_andWakesWithThemStartedAgain() {
        host.busy(true);
        BootCoordinator vm = runtime(Duration.ofSeconds(5), "PT0.4S", true).coordinator();
        vm.ensure("xi", "", WAIT);

        // the record says ASLEEP before the engine stops (readers see it first): wait for both
        await().atMost(Duration.ofSeconds(5))
                .until(() -> vm.status("xi").state() == State.ASLEEP && !host.isRunning("xi"));
        assertThat(host.isRunning("xi")).isFalse();
        assertThat(vm.status("xi").asleep()).containsExactly("0123456789ab");
        assertThat(vm.wakefulness(vm.status("xi")).summary()).startsWith("asleep since ")
                .contains("with 1 container to start again (the engine stopped); the next API call or HTTP hit wakes it");

        Ensured woken = vm.ensure("xi", "", WAIT, Cause.HTTP);

        assertThat(woken.booted()).isTrue();
        assertThat(woken.restarted()).containsExactly("0123456789ab");
        assertThat(host.started()).containsExactly("0123456789ab");
        assertThat(vm.status("xi").state()).isEqualTo(State.RUNNING);
        assertThat(vm.status("xi").asleep()).isEmpty();
        assertThat(vm.status("xi").lastHttp()).isPositive();
    }

    @Test
    void stopAndDelete_areRecorded_andAnInvalidTenantIdIsRefused() {
        BootCoordinator vm = runtime(Duration.ofSeconds(5), "PT30M").coordinator();
        vm.ensure("mu", "", WAIT);

        assertThat(vm.stop("mu", WAIT)).isEqualTo(State.STOPPED);
        assertThat(host.isRunning("mu")).isFalse();
        vm.delete("mu", WAIT);
        assertThat(vm.status("mu").state()).isEqualTo(State.UNKNOWN);
        assertThat(vm.list()).extracting(TenantRecord::tenantId).doesNotContain("mu");
        assertThatThrownBy(() -> vm.ensure("../etc", "", WAIT)).isInstanceOf(VmException.InvalidTenant.class);
    }

    private VmRuntime runtime(Duration leaseTtl, String idleAfter) {
        return runtime(leaseTtl, idleAfter, false);
    }

    private VmRuntime runtime(Duration leaseTtl, String idleAfter, boolean sleepWithApps) {
        Plans plans = Plans.create(Config.just(ConfigSources.create(Map.of(
                "default-plan", "free",
                "plans.free.idle-after", idleAfter,
                "plans.free.sleep-with-apps", Boolean.toString(sleepWithApps),
                "plans.free.memory", "256m"))));
        VmRuntime runtime = VmRuntime.start(RedisFixture.URI, redis.prefix(), host.backend(), plans,
                                            Duration.ofSeconds(30), leaseTtl, Duration.ofMillis(100));
        runtimes.add(runtime);
        return runtime;
    }

    private static <T> List<T> concurrently(int callers, Callable<T> call) throws Exception {
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                futures.add(threads.submit(call));
            }
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get());
            }
            return results;
        }
    }
}
