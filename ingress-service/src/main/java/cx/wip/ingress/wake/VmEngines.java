package cx.wip.ingress.wake;

import cx.wip.proto.vm.v1.Cause;
import cx.wip.proto.vm.v1.EnsureEndpointRequest;
import cx.wip.proto.vm.v1.EnsureEndpointResponse;
import cx.wip.proto.vm.v1.ReportActivityRequest;
import cx.wip.proto.vm.v1.State;
import cx.wip.proto.vm.v1.StatusRequest;
import cx.wip.proto.vm.v1.TenantRecord;
import cx.wip.proto.vm.v1.VmServiceGrpc;
import cx.wip.telemetry.GrpcChannels;

import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;

import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/** The three things ingress-service asks vm-service: is this engine asleep, wake it for an HTTP hit, these were hit. */
public final class VmEngines implements AutoCloseable {
    private static final Logger LOGGER = Logger.getLogger(VmEngines.class.getName());

    private final ManagedChannel channel;
    private final VmServiceGrpc.VmServiceBlockingStub vm;
    private final Duration statusTimeout;
    private final Duration ensureTimeout;

    private VmEngines(ManagedChannel channel, Duration statusTimeout, Duration ensureTimeout) {
        this.channel = channel;
        this.vm = VmServiceGrpc.newBlockingStub(channel);
        this.statusTimeout = statusTimeout;
        this.ensureTimeout = ensureTimeout;
    }

    /** A channel to vm-service as {@code ingress.vm} says. */
    public static VmEngines create(WakeConfig config) {
        return new VmEngines(GrpcChannels.open("wip-ingress-service", config.vm()), config.vm().timeout(),
                config.ensureTimeout());
    }

    /** @throws StatusRuntimeException when vm-service cannot answer */
    public TenantRecord record(String tenantId) {
        return vm.withDeadlineAfter(statusTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .status(StatusRequest.newBuilder().setTenantId(tenantId).build()).getRecord();
    }

    /**
     * Whether the tenant's engine sleeps or is waking (STARTING: its daemon is back, the containers it slept with are
     * being started again): its routes are kept for the waker. Fails closed: when vm-service cannot be asked, the
     * engine counts as awake, and routes follow the containers as without sleep.
     */
    public boolean asleep(String tenantId) {
        try {
            return sleeps(record(tenantId));
        } catch (StatusRuntimeException e) {
            LOGGER.log(Level.WARNING, "vm-service could not say whether tenant " + tenantId + " sleeps: "
                    + e.getStatus().getCode(), e);
            return false;
        }
    }

    /**
     * @return true for an engine asleep with apps, waking (STARTING), or whose wake failed with the apps still to
     *         start (FAILED with containers recorded: the next EnsureEndpoint tries again)
     */
    static boolean sleeps(TenantRecord record) {
        State state = record.getState();
        return state == State.STATE_ASLEEP || state == State.STATE_STARTING
                || state == State.STATE_FAILED && record.getAsleepContainersCount() > 0;
    }

    /**
     * Wakes the engine for an HTTP hit; answers once vm-service answered (its containers were started again).
     *
     * @param plan the plan the engine was last ensured with (from its record)
     * @throws StatusRuntimeException when it could not be woken in time
     */
    public EnsureEndpointResponse wake(String tenantId, String plan) {
        return vm.withDeadlineAfter(ensureTimeout.plusSeconds(2).toMillis(), TimeUnit.MILLISECONDS)
                .ensureEndpoint(EnsureEndpointRequest.newBuilder().setTenantId(tenantId).setPlan(plan)
                        .setWaitMillis(ensureTimeout.toMillis()).setCause(Cause.CAUSE_HTTP).build());
    }

    /** Reports tenants whose routes served requests; a failed report is dropped (the next one carries newer hits). */
    public void reportHttp(Collection<String> tenantIds) {
        try {
            vm.withDeadlineAfter(5, TimeUnit.SECONDS).reportActivity(ReportActivityRequest.newBuilder()
                    .addAllHttpTenantIds(tenantIds).build());
        } catch (StatusRuntimeException e) {
            LOGGER.log(Level.FINE, "HTTP activity report of " + tenantIds.size() + " tenants failed", e);
        }
    }

    public ManagedChannel channel() {
        return channel;
    }

    @Override
    public void close() {
        GrpcChannels.close(channel, Duration.ofSeconds(2));
    }
}
