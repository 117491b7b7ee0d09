package cx.wip.gateway.endpoint;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import cx.wip.docker.DaemonAddress;
import cx.wip.gateway.GatewayException;
import cx.wip.gateway.PlatformFault;
import cx.wip.gateway.identity.Tenant;
import cx.wip.proto.vm.v1.Endpoint;
import cx.wip.proto.vm.v1.EnsureEndpointRequest;
import cx.wip.proto.vm.v1.EnsureEndpointResponse;
import cx.wip.proto.vm.v1.Failure;
import cx.wip.proto.vm.v1.FailureReason;
import cx.wip.proto.vm.v1.ReportActivityRequest;
import cx.wip.proto.vm.v1.ReportActivityResponse;
import cx.wip.proto.vm.v1.VmServiceGrpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The resolver against an in-JVM gRPC VmService that answers what each test sets. */
class VmEndpointResolverTest {
    private static final Tenant ALICE = new Tenant("alice", "alice", "free");
    private static final Tenant BOB = new Tenant("bob", "bob", "free");

    private final AtomicInteger ensures = new AtomicInteger();
    private final AtomicReference<Status> failWith = new AtomicReference<>();
    private final AtomicReference<FailureReason> failReason = new AtomicReference<>();
    private final List<List<String>> activityReports = new CopyOnWriteArrayList<>();
    private volatile long answerDelayMillis;
    private Server server;
    private io.grpc.BindableService service;
    private VmEndpointResolver resolver;

    @BeforeEach
    void start() throws IOException {
        service = new VmServiceGrpc.VmServiceImplBase() {
            @Override
            public void ensureEndpoint(EnsureEndpointRequest request, StreamObserver<EnsureEndpointResponse> out) {
                ensures.incrementAndGet();
                sleep(answerDelayMillis);
                Status failure = failWith.get();
                if (failure != null) {
                    Metadata trailers = new Metadata();
                    if (failReason.get() != null) {
                        trailers.put(VmEndpointResolver.FAILURE, Failure.newBuilder().setReason(failReason.get()).build());
                    }
                    out.onError(failure.asRuntimeException(trailers));
                    return;
                }
                Endpoint endpoint = request.getTenantId().startsWith("vm-")
                        ? Endpoint.newBuilder().setDockerAddress("tcp://10.0.0.5:2376").setTls(true)
                                .setPublicAddress("10.0.0.5").build()
                        : Endpoint.newBuilder().setDockerAddress("unix:///run/wip/tenants/"
                                + request.getTenantId() + "/docker.sock").setPublicAddress("10.89.0.7").build();
                out.onNext(EnsureEndpointResponse.newBuilder()
                                   .setEndpoint(endpoint)
                                   .setBooted(true)
                                   .build());
                out.onCompleted();
            }

            @Override
            public void reportActivity(ReportActivityRequest request, StreamObserver<ReportActivityResponse> out) {
                activityReports.add(List.copyOf(request.getTenantIdsList()));
                out.onNext(ReportActivityResponse.getDefaultInstance());
                out.onCompleted();
            }
        };
        server = ServerBuilder.forPort(0).addService(service).build().start();
    }

    @AfterEach
    void stop() {
        if (resolver != null) {
            resolver.close();
        }
        server.shutdownNow();
    }

    /**
     * A vm-service restart: the channel failed while it was away and waits out a reconnect backoff; the first call
     * after it is back reconnects at once instead of failing until the backoff ends.
     */
    @Test
    void aVmServiceBackFromARestart_answersTheNextCall() throws Exception {
        resolver = resolver("PT30S", "PT10S");
        resolver.endpoint(ALICE);
        int port = server.getPort();
        server.shutdownNow().awaitTermination();
        assertThatThrownBy(() -> resolver.endpoint(BOB)).isInstanceOf(GatewayException.class);

        server = ServerBuilder.forPort(port).addService(service).build().start();

        assertThat(resolver.endpoint(BOB).toString()).contains("bob");
    }

    @Test
    void endpoint_isTheDaemonVmServiceNamed_andIsCachedUntilInvalidated() {
        resolver = resolver("PT30S", "PT10S");

        DaemonAddress first = resolver.endpoint(ALICE);
        resolver.endpoint(ALICE);
        assertThat(ensures).hasValue(1);
        resolver.invalidate(ALICE);
        resolver.endpoint(ALICE);

        assertThat(first.toString()).isEqualTo("unix:///run/wip/tenants/alice/docker.sock");
        assertThat(ensures).hasValue(2);
        assertThat(resolver.publicAddress(ALICE)).contains("10.89.0.7");
        assertThat(resolver.publicAddress(BOB)).isEmpty();
    }

    @Test
    void aTlsEndpoint_isDialledWithTls() {
        resolver = resolver("PT30S", "PT10S");

        DaemonAddress vm = resolver.endpoint(new Tenant("vm-carol", "carol", "pro"));

        assertThat(vm.tls()).isTrue();
        assertThat(vm.toString()).isEqualTo("https://10.0.0.5:2376");
        assertThat(resolver.endpoint(ALICE).tls()).isFalse();
    }

    @Test
    void aCachedEndpoint_isAskedForAgainAfterTheTtl() throws InterruptedException {
        resolver = resolver("PT0.2S", "PT10S");

        resolver.endpoint(ALICE);
        Thread.sleep(300);
        resolver.endpoint(ALICE);

        assertThat(ensures).hasValue(2);
    }

    @Test
    void concurrentFirstRequests_shareOneCall() throws Exception {
        answerDelayMillis = 300;
        resolver = resolver("PT30S", "PT10S");

        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<DaemonAddress>> answers = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                answers.add(threads.submit(() -> resolver.endpoint(ALICE)));
            }
            for (Future<DaemonAddress> answer : answers) {
                assertThat(answer.get().toString()).endsWith("/alice/docker.sock");
            }
        }
        assertThat(ensures).hasValue(1);
    }

    @Test
    void aBootPastTheDeadline_isA503ThatSaysStillStarting() {
        // vm-service sends ASCII (Helidon's gRPC server does not percent-encode grpc-message)
        failWith.set(Status.UNAVAILABLE.withDescription("your environment is still starting - retry in a moment"));
        resolver = resolver("PT30S", "PT10S");

        assertThatThrownBy(() -> resolver.endpoint(ALICE))
                .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.status()).isEqualTo(503))
                .hasMessage("your environment is still starting — retry in a moment");
    }

    @Test
    void stillStarting_isRecognisedByItsReason_notItsWords() {
        failWith.set(Status.UNAVAILABLE.withDescription("whatever a newer vm-service says"));
        failReason.set(FailureReason.FAILURE_REASON_STILL_STARTING);
        resolver = resolver("PT30S", "PT10S");

        assertThatThrownBy(() -> resolver.endpoint(ALICE))
                .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e).isNotInstanceOf(PlatformFault.class))
                .hasMessage("your environment is still starting — retry in a moment");
    }

    @Test
    void aBootFailure_isAPlatformFault_thatPassesNoneOfVmServicesDetailOn() {
        failWith.set(Status.UNAVAILABLE.withDescription("your environment could not be started: dockerd for alice "
                + "exited with 1: failed to start daemon: pid file found, delete /var/lib/wip/alice/docker.pid; "
                + "listen tcp 10.89.0.7:2375"));
        failReason.set(FailureReason.FAILURE_REASON_BOOT_FAILED);
        resolver = resolver("PT30S", "PT10S");

        assertThatThrownBy(() -> resolver.endpoint(ALICE))
                .isInstanceOfSatisfying(PlatformFault.class, e -> assertThat(e.status()).isEqualTo(503))
                .hasMessage("wip: your environment could not be started");
    }

    @Test
    void aBootFailure_fromAVmServiceWithoutTheTrailer_isStillPlain() {
        failWith.set(Status.UNAVAILABLE.withDescription("your environment could not be started: cannot create "
                + "/var/lib/wip/tenants/alice: disk full"));
        resolver = resolver("PT30S", "PT10S");

        assertThatThrownBy(() -> resolver.endpoint(ALICE))
                .isInstanceOfSatisfying(PlatformFault.class, e -> assertThat(e.status()).isEqualTo(503))
                .hasMessage("wip: your environment could not be started");
    }

    @Test
    void anInternalFailure_isAPlatformFault_withAFixedMessage() {
        failWith.set(Status.INTERNAL.withDescription("vm-service failed: java.lang.IllegalStateException: "
                + "redis://:s3cret@10.0.0.3:6379 refused"));
        failReason.set(FailureReason.FAILURE_REASON_INTERNAL);
        resolver = resolver("PT30S", "PT10S");

        assertThatThrownBy(() -> resolver.endpoint(ALICE))
                .isInstanceOf(PlatformFault.class)
                .hasMessage("wip: your environment could not be had");
    }

    @Test
    void vmServiceDown_isA503ThatSaysRetry_andNothingIsCached() {
        resolver = resolver("PT30S", "PT10S");
        server.shutdownNow();

        assertThatThrownBy(() -> resolver.endpoint(ALICE))
                .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.status()).isEqualTo(503))
                .hasMessageContaining("retry in a moment");
        assertThat(resolver.publicAddress(ALICE)).isEmpty();
    }

    @Test
    void activity_isReportedInBatches_notOneCallPerRequest() {
        resolver = resolver("PT30S", "PT1S");

        for (int i = 0; i < 200; i++) {
            resolver.activity(i % 2 == 0 ? ALICE : BOB);
        }

        await().atMost(Duration.ofSeconds(20))
                .until(() -> activityReports.stream().flatMap(List::stream).distinct().count() == 2);
        assertThat(activityReports).hasSizeLessThanOrEqualTo(2);
        assertThat(activityReports).allSatisfy(report -> assertThat(report).doesNotHaveDuplicates());
        assertThat(activityReports.stream().flatMap(List::stream)).containsOnly("alice", "bob");
    }

    private VmEndpointResolver resolver(String cacheTtl, String activityInterval) {
        return VmEndpointResolver.create(Config.just(ConfigSources.create(Map.of(
                "gateway.vm.address", "127.0.0.1:" + server.getPort(),
                "gateway.vm.cache-ttl", cacheTtl,
                "gateway.vm.ensure-timeout", "PT5S",
                "gateway.vm.activity-interval", activityInterval))));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
