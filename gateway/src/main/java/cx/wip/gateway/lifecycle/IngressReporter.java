package cx.wip.gateway.lifecycle;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

import cx.wip.gateway.GatewayException;
import cx.wip.docker.DaemonAddress;
import cx.wip.gateway.endpoint.EndpointResolver;
import cx.wip.gateway.identity.Tenant;
import cx.wip.gateway.review.Reviewer;
import cx.wip.proto.ingress.v1.ContainerChangedRequest;
import cx.wip.proto.ingress.v1.ContainerChangedResponse;
import cx.wip.proto.ingress.v1.IngressGrpc;
import cx.wip.telemetry.GrpcChannels;

import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.helidon.config.Config;

/**
 * Tells ingress-service (gRPC {@code wip.ingress.v1.Ingress/ContainerChanged}) about container lifecycle so routes
 * follow containers. Never blocks the request path: {@link #containerChanged} only enqueues; one background thread
 * sends. A report that cannot be sent is logged and dropped — ingress-service also follows the daemon's event stream
 * and reconciles periodically, so a lost report delays a route, it does not lose it.
 * <p>
 * The same channel serves {@link #labelReview(Reviewer)}: {@code com.wip.http} checked at {@code docker create}.
 */
public final class IngressReporter implements LifecycleListener, AutoCloseable {
    private static final Logger LOGGER = Logger.getLogger(IngressReporter.class.getName());
    private static final Pending STOP = new Pending(null, ContainerChangedRequest.getDefaultInstance(), Context.ROOT);
    private static final int IN_FLIGHT = 16;

    private final IngressSettings settings;
    private final ManagedChannel channel;
    private final BlockingQueue<Pending> queue;
    private final Thread sender;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final EndpointResolver endpoints;

    IngressReporter(IngressSettings settings, ManagedChannel channel, EndpointResolver endpoints) {
        this.settings = settings;
        this.channel = channel;
        this.endpoints = endpoints;
        this.queue = new LinkedBlockingQueue<>(settings.queueCapacity());
        this.sender = Thread.ofPlatform().daemon().name("ingress-reporter").start(this::sendLoop);
    }

    /**
     * Reads {@code gateway.ingress} (the root config or that node) and opens a channel to ingress-service. Reports
     * name no daemon: ingress-service uses its configured one (single-daemon mode).
     */
    public static IngressReporter create(Config config) {
        return create(config, null);
    }

    /**
     * Like {@link #create(Config)}, and each report names the tenant's daemon as {@code endpoints} knows it (asked on
     * the background thread, never on the request path), so ingress-service follows per-tenant daemons.
     */
    public static IngressReporter create(Config config, EndpointResolver endpoints) {
        final IngressSettings settings = IngressSettings.create(config);
        return new IngressReporter(settings, GrpcChannels.open("wip-gateway", settings.grpc()), endpoints);
    }

    @Override
    public void containerChanged(ContainerEvent event) {
        final ContainerChangedRequest request = ContainerChangedRequest.newBuilder()
                .setTenant(tenant(event.tenant()))
                .setContainerId(event.containerId())
                .setAction(event.action())
                .build();
        if (!queue.offer(new Pending(event.tenant(), request, Context.current())) && dropped.incrementAndGet() % 100 == 1) {
            LOGGER.warning(() -> "ingress reports queue full (" + settings.queueCapacity() + "): dropped "
                    + dropped.get() + " so far; ingress-service reconciles them");
        }
    }

    /**
     * @param policy the reviewer that runs first (the policy); its answer is kept unless a label is refused
     * @return a reviewer that also refuses invalid {@code com.wip.http} labels at container create
     */
    public Reviewer labelReview(Reviewer policy) {
        return new IngressLabelReview(policy, IngressGrpc.newBlockingStub(channel), settings.timeout());
    }

    /** @return reports dropped because the queue was full */
    long dropped() {
        return dropped.get();
    }

    /** @return reports ingress-service did not accept (unreachable, error) */
    long failed() {
        return failed.get();
    }

    /** A report waiting to be sent, with the tenant it is about and the request's context (its ids). */
    private record Pending(Tenant tenant, ContainerChangedRequest request, Context context) {
    }

    /** Adds the tenant's daemon address when an endpoint resolver is known and has one (cached there). */
    private ContainerChangedRequest withDaemon(Pending pending) {
        if (endpoints == null) {
            return pending.request();
        }
        try {
            final DaemonAddress daemon = endpoints.endpoint(pending.tenant());
            final var tenant = pending.request().getTenant().toBuilder().setDaemonAddress(daemon.toString());
            // a tenant with its own public address has a daemon of its own (vm mode): ingress may follow all of it
            endpoints.publicAddress(pending.tenant())
                    .ifPresent(address -> tenant.setPublicAddress(address).setDedicatedDaemon(true));
            return pending.request().toBuilder().setTenant(tenant).build();
        } catch (GatewayException e) {
            return pending.request();
        }
    }

    static cx.wip.proto.ingress.v1.Tenant tenant(Tenant tenant) {
        return cx.wip.proto.ingress.v1.Tenant.newBuilder().setId(tenant.id()).setSlug(tenant.slug()).build();
    }

    /**
     * Sends up to {@value #IN_FLIGHT} reports at once: ingress-service reads the container's current state on each
     * report, so their order does not matter.
     */
    private void sendLoop() {
        final IngressGrpc.IngressStub stub = IngressGrpc.newStub(channel);
        final Semaphore inFlight = new Semaphore(IN_FLIGHT);
        while (true) {
            final Pending pending;
            try {
                pending = queue.take();
                if (pending == STOP) {
                    inFlight.acquire(IN_FLIGHT);
                    return;
                }
                inFlight.acquire();
            } catch (InterruptedException e) {
                return;
            }
            // sent in the reporting request's context: ingress-service logs it under that request id
            pending.context().run(() -> send(stub, pending, inFlight));
        }
    }

    private void send(IngressGrpc.IngressStub stub, Pending pending, Semaphore inFlight) {
        stub.withDeadlineAfter(settings.timeout().toMillis(), TimeUnit.MILLISECONDS)
                .containerChanged(withDaemon(pending), new StreamObserver<>() {
                    @Override
                    public void onNext(ContainerChangedResponse response) {
                        // the routes after the change: nothing to do with them here
                    }

                    @Override
                    public void onError(Throwable error) {
                        inFlight.release();
                        failed.incrementAndGet();
                        LOGGER.log(Level.WARNING, "ingress-service did not take the "
                                + pending.request().getAction() + " of container "
                                + pending.request().getContainerId() + " (tenant " + pending.tenant().id() + "): "
                                + Status.fromThrowable(error));
                    }

                    @Override
                    public void onCompleted() {
                        inFlight.release();
                    }
                });
    }

    /** The gRPC channel to the service (its state feeds the gateway's readiness). */
    public ManagedChannel channel() {
        return channel;
    }

    /** Sends what is queued (up to the timeout; nothing more when the queue is full), then closes the channel. */
    @Override
    public void close() {
        if (!queue.offer(STOP)) {
            // queue full: do not wait for a backlog at shutdown, ingress-service reconciles it
            sender.interrupt();
        }
        try {
            sender.join(settings.timeout().toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sender.interrupt();
        // the sender has waited for the reports in flight already (up to the timeout): cancel what is left at once
        GrpcChannels.close(channel, Duration.ZERO);
    }
}
