package cx.wip.vm.boot;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.helidon.config.Config;

import cx.wip.proto.ingress.v1.EngineSleepsRequest;
import cx.wip.proto.ingress.v1.IngressGrpc;
import cx.wip.telemetry.GrpcChannels;
import cx.wip.telemetry.GrpcClientConfig;

/**
 * ingress-service's {@code EngineSleeps}: the tenant's routes move to its waker before the apps freeze. When it cannot
 * say yes (down, no waker, too slow), the engine is stopped instead of frozen: a stopped app refuses connections and
 * the route backend falls back to the waker, a frozen one would hold them.
 */
public final class IngressSleepNotice implements SleepNotice, AutoCloseable {
    private static final Logger LOGGER = Logger.getLogger(IngressSleepNotice.class.getName());

    private final ManagedChannel channel;
    private final IngressGrpc.IngressBlockingStub ingress;
    private final Duration timeout;

    /** @param grpc ingress-service's address, the deadline of one EngineSleeps, keepalive */
    public record Settings(GrpcClientConfig grpc) {
        /** Reads {@code vm.ingress}; empty when no address is set. */
        public static Optional<Settings> create(Config ingress) {
            return ingress.get("address").asString().filter(a -> !a.isBlank()).map(address -> new Settings(
                    GrpcClientConfig.create(ingress, address, Duration.ofSeconds(5))));
        }
    }

    public IngressSleepNotice(Settings settings) {
        this.channel = GrpcChannels.open("wip-vm-service", settings.grpc());
        this.ingress = IngressGrpc.newBlockingStub(channel);
        this.timeout = settings.grpc().timeout();
    }

    @Override
    public boolean routesOnWaker(String tenantId) {
        try {
            int routes = ingress.withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS)
                    .engineSleeps(EngineSleepsRequest.newBuilder().setTenantId(tenantId).build()).getRoutes();
            LOGGER.fine(() -> routes + " routes of " + tenantId + " lead to the waker");
            return true;
        } catch (StatusRuntimeException e) {
            LOGGER.info(() -> "ingress-service did not move the routes of " + tenantId + " to its waker ("
                              + e.getStatus().getCode() + ": " + e.getStatus().getDescription()
                              + "): its engine stops instead of freezing");
            return false;
        }
    }

    @Override
    public void close() {
        GrpcChannels.close(channel, Duration.ofSeconds(2));
    }
}
