package cx.wip.ingress.wake;

import cx.wip.ingress.fixtures.Docker;
import cx.wip.proto.vm.v1.Endpoint;
import cx.wip.proto.vm.v1.EnsureEndpointRequest;
import cx.wip.proto.vm.v1.EnsureEndpointResponse;
import cx.wip.proto.vm.v1.ReportActivityRequest;
import cx.wip.proto.vm.v1.ReportActivityResponse;
import cx.wip.proto.vm.v1.State;
import cx.wip.proto.vm.v1.StatusRequest;
import cx.wip.proto.vm.v1.StatusResponse;
import cx.wip.proto.vm.v1.TenantRecord;
import cx.wip.proto.vm.v1.VmServiceGrpc;

import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small vm-service for ingress tests, over real gRPC: it keeps each tenant's state, and its EnsureEndpoint wakes an
 * ASLEEP tenant the way vm-service does for the local backend's containers — {@code docker start} of the containers
 * recorded when it fell asleep, on the host dockerd, before it answers. vm-service itself (sleep, records, boots) is
 * tested in its own module.
 */
final class StubVmService extends VmServiceGrpc.VmServiceImplBase implements AutoCloseable {
    final Map<String, State> states = new ConcurrentHashMap<>();
    final Map<String, List<String>> asleep = new ConcurrentHashMap<>();
    final AtomicInteger ensures = new AtomicInteger();
    /** How long the last EnsureEndpoint took (the docker start of what slept), ms. */
    volatile long lastEnsureMillis;
    /** EnsureEndpoint fails as vm-service does when a boot fails (Status keeps answering). */
    final AtomicBoolean failing = new AtomicBoolean();
    final List<Set<String>> httpReports = new CopyOnWriteArrayList<>();
    private final Server server;

    StubVmService() {
        try {
            server = ServerBuilder.forPort(0).addService(this).build().start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String address() {
        return "127.0.0.1:" + server.getPort();
    }

    /** Tenants put to a light sleep: their containers are paused (frozen), and a wake unpauses them. */
    final java.util.Set<String> frozen = ConcurrentHashMap.newKeySet();

    void sleeps(String tenantId, String... containers) {
        asleep.put(tenantId, List.of(containers));
        states.put(tenantId, State.STATE_ASLEEP);
    }

    @Override
    public void ensureEndpoint(EnsureEndpointRequest request, StreamObserver<EnsureEndpointResponse> response) {
        ensures.incrementAndGet();
        if (failing.get()) {
            response.onError(Status.UNAVAILABLE.withDescription("your environment could not be started")
                    .asRuntimeException());
            return;
        }
        long start = System.nanoTime();
        List<String> restarted = asleep.getOrDefault(request.getTenantId(), List.of());
        boolean thaw = frozen.remove(request.getTenantId());
        restarted.forEach(id -> Docker.run(thaw ? "unpause" : "start", id));
        lastEnsureMillis = (System.nanoTime() - start) / 1_000_000;
        asleep.remove(request.getTenantId());
        states.put(request.getTenantId(), State.STATE_RUNNING);
        response.onNext(EnsureEndpointResponse.newBuilder().setEndpoint(endpoint()).setBooted(true)
                .addAllRestartedContainers(restarted).build());
        response.onCompleted();
    }

    @Override
    public void status(StatusRequest request, StreamObserver<StatusResponse> response) {
        State state = states.getOrDefault(request.getTenantId(), State.STATE_UNSPECIFIED);
        TenantRecord.Builder record = TenantRecord.newBuilder().setTenantId(request.getTenantId()).setState(state)
                .setPlan("free").addAllAsleepContainers(asleep.getOrDefault(request.getTenantId(), List.of()));
        if (state == State.STATE_RUNNING) {
            record.setEndpoint(endpoint());
        }
        response.onNext(StatusResponse.newBuilder().setRecord(record).build());
        response.onCompleted();
    }

    @Override
    public void reportActivity(ReportActivityRequest request, StreamObserver<ReportActivityResponse> response) {
        if (!request.getHttpTenantIdsList().isEmpty()) {
            httpReports.add(Set.copyOf(request.getHttpTenantIdsList()));
        }
        response.onNext(ReportActivityResponse.getDefaultInstance());
        response.onCompleted();
    }

    private static Endpoint endpoint() {
        return Endpoint.newBuilder().setDockerAddress("unix:///var/run/docker.sock").setPublicAddress("127.0.0.1")
                .build();
    }

    @Override
    public void close() {
        server.shutdownNow();
        try {
            server.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
