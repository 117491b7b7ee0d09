package cx.wip.vm;

import java.time.Duration;

import io.grpc.stub.StreamObserver;

import cx.wip.proto.vm.v1.DeleteRequest;
import cx.wip.proto.vm.v1.DeleteResponse;
import cx.wip.proto.vm.v1.Endpoint;
import cx.wip.proto.vm.v1.EnsureEndpointRequest;
import cx.wip.proto.vm.v1.EnsureEndpointResponse;
import cx.wip.proto.vm.v1.ListRequest;
import cx.wip.proto.vm.v1.ListResponse;
import cx.wip.proto.vm.v1.ReportActivityRequest;
import cx.wip.proto.vm.v1.ReportActivityResponse;
import cx.wip.proto.vm.v1.State;
import cx.wip.proto.vm.v1.StatusRequest;
import cx.wip.proto.vm.v1.StatusResponse;
import cx.wip.proto.vm.v1.StopRequest;
import cx.wip.proto.vm.v1.StopResponse;
import cx.wip.proto.vm.v1.TenantRecord;
import cx.wip.proto.vm.v1.VmServiceGrpc;
import cx.wip.telemetry.GrpcUnary;
import cx.wip.vm.boot.BootCoordinator;
import cx.wip.vm.boot.Cause;
import cx.wip.vm.boot.Ensured;
import cx.wip.vm.boot.Wakefulness;
import cx.wip.vm.spi.DaemonEndpoint;

/** Translates {@code wip.vm.v1.VmService} to the {@link BootCoordinator}; no logic of its own. */
final class VmGrpcService extends VmServiceGrpc.VmServiceImplBase {
    private static final GrpcUnary UNARY = GrpcUnary.of("vm-service", VmErrors::toStatus);

    private final BootCoordinator coordinator;
    private final Duration defaultWait;

    VmGrpcService(BootCoordinator coordinator, Duration defaultWait) {
        this.coordinator = coordinator;
        this.defaultWait = defaultWait;
    }

    @Override
    public void ensureEndpoint(EnsureEndpointRequest request, StreamObserver<EnsureEndpointResponse> response) {
        Duration wait = request.getWaitMillis() > 0 ? Duration.ofMillis(request.getWaitMillis()) : defaultWait;
        UNARY.answer(response, () -> {
            Ensured ensured = coordinator.ensure(request.getTenantId(), request.getPlan(), wait,
                    request.getCause() == cx.wip.proto.vm.v1.Cause.CAUSE_HTTP ? Cause.HTTP : Cause.API);
            return EnsureEndpointResponse.newBuilder()
                    .setEndpoint(endpoint(ensured.endpoint()))
                    .setBooted(ensured.booted())
                    .addAllRestartedContainers(ensured.restarted())
                    .setIdleAfterMillis(coordinator.idleAfter(request.getPlan()).toMillis())
                    .build();
        });
    }

    @Override
    public void stop(StopRequest request, StreamObserver<StopResponse> response) {
        UNARY.answer(response, () -> StopResponse.newBuilder()
                .setState(state(coordinator.stop(request.getTenantId(), defaultWait)))
                .build());
    }

    @Override
    public void delete(DeleteRequest request, StreamObserver<DeleteResponse> response) {
        UNARY.answer(response, () -> {
            coordinator.delete(request.getTenantId(), defaultWait);
            return DeleteResponse.getDefaultInstance();
        });
    }

    @Override
    public void status(StatusRequest request, StreamObserver<StatusResponse> response) {
        UNARY.answer(response, () -> StatusResponse.newBuilder()
                .setRecord(record(coordinator.status(request.getTenantId()), true))
                .build());
    }

    @Override
    public void list(ListRequest request, StreamObserver<ListResponse> response) {
        UNARY.answer(response, () -> ListResponse.newBuilder()
                .addAllRecords(coordinator.list().stream().map(record -> record(record, false)).toList())
                .build());
    }

    @Override
    public void reportActivity(ReportActivityRequest request, StreamObserver<ReportActivityResponse> response) {
        UNARY.answer(response, () -> {
            coordinator.activity(request.getTenantIdsList(), request.getSessionTenantIdsList(),
                                 request.getHttpTenantIdsList());
            return ReportActivityResponse.getDefaultInstance();
        });
    }

    private static Endpoint endpoint(DaemonEndpoint endpoint) {
        return Endpoint.newBuilder()
                .setDockerAddress(endpoint.dockerAddress())
                .setPublicAddress(endpoint.publicAddress())
                .setTls(endpoint.tls())
                .build();
    }

    /** @param askEngine whether to ask the engine what runs (Status: yes; List: no, one call per tenant is too much) */
    private TenantRecord record(cx.wip.vm.boot.TenantRecord record, boolean askEngine) {
        Wakefulness awake = askEngine ? coordinator.wakefulness(record) : coordinator.wakefulness(record, -1);
        TenantRecord.Builder builder = TenantRecord.newBuilder()
                .setTenantId(record.tenantId())
                .setState(state(record.state()))
                .setEpoch(record.epoch())
                .setBoots(record.boots())
                .setLastActivityMillis(record.lastActivity())
                .setError(record.error())
                .setPlan(record.plan())
                .setDiskBytes(record.diskBytes())
                .setLastHttpMillis(record.lastHttp())
                .setLastSessionMillis(record.lastSession())
                .addAllAsleepContainers(record.asleep())
                .setWakefulness(cx.wip.proto.vm.v1.Wakefulness.newBuilder().setSummary(awake.summary())
                        .addAllReasons(awake.reasons()).setSleepsAtMillis(awake.sleepsAt())
                        .setRunningContainers(awake.running()));
        record.endpoint().ifPresent(endpoint -> builder.setEndpoint(endpoint(endpoint)));
        return builder.build();
    }

    private static State state(cx.wip.vm.boot.State state) {
        return switch (state) {
            case UNKNOWN -> State.STATE_UNSPECIFIED;
            case STARTING -> State.STATE_STARTING;
            case RUNNING -> State.STATE_RUNNING;
            case STOPPED -> State.STATE_STOPPED;
            case FAILED -> State.STATE_FAILED;
            case ASLEEP -> State.STATE_ASLEEP;
        };
    }
}
