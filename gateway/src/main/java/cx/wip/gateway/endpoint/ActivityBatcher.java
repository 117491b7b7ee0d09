package cx.wip.gateway.endpoint;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

import io.grpc.StatusRuntimeException;

import cx.wip.proto.vm.v1.ReportActivityRequest;
import cx.wip.proto.vm.v1.VmServiceGrpc;

/**
 * Collects the tenants that used their daemon and reports them to vm-service once per interval (one small call,
 * whatever the request rate), so idle stop knows who is active without a call per request.
 */
final class ActivityBatcher implements AutoCloseable {
    private static final Logger LOGGER = Logger.getLogger(ActivityBatcher.class.getName());

    private final VmServiceGrpc.VmServiceBlockingStub vm;
    private final Set<String> pending = ConcurrentHashMap.newKeySet();
    private volatile Supplier<Set<String>> sessions = Set::of;
    private final ScheduledExecutorService timer;

    ActivityBatcher(VmServiceGrpc.VmServiceBlockingStub vm, Duration interval) {
        this.vm = vm;
        this.timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon()
                                                                        .name("vm-activity").factory());
        long millis = interval.toMillis();
        timer.scheduleWithFixedDelay(this::flush, millis, millis, TimeUnit.MILLISECONDS);
    }

    void add(String tenantId) {
        pending.add(tenantId);
    }

    /** Where the tenants with an open session come from; reported on every flush while open. */
    void sessions(Supplier<Set<String>> openSessions) {
        this.sessions = openSessions;
    }

    /** Reports what was collected; a failed report is dropped (the next one carries newer activity). */
    void flush() {
        Set<String> open = sessions.get();
        if (pending.isEmpty() && open.isEmpty()) {
            return;
        }
        List<String> batch = new ArrayList<>();
        for (String tenant : pending) {
            if (pending.remove(tenant)) {
                batch.add(tenant);
            }
        }
        try {
            vm.withDeadlineAfter(5, TimeUnit.SECONDS)
                    .reportActivity(ReportActivityRequest.newBuilder().addAllTenantIds(batch)
                                            .addAllSessionTenantIds(open).build());
        } catch (StatusRuntimeException e) {
            LOGGER.log(Level.FINE, "activity report of " + batch.size() + " tenants failed", e);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        flush();
    }
}
