package cx.wip.gateway.lifecycle;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

import cx.wip.gateway.identity.Tenant;
import cx.wip.gateway.review.Reviewer;
import cx.wip.proto.ingress.v1.ContainerChangedRequest;
import cx.wip.proto.ingress.v1.ContainerChangedResponse;
import cx.wip.proto.ingress.v1.IngressGrpc;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
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
    private static final ContainerChangedRequest STOP = ContainerChangedRequest.getDefaultInstance();
    private static final int IN_FLIGHT = 16;

    private final IngressSettings settings;
    private final ManagedChannel channel;
    private final BlockingQueue<ContainerChangedRequest> queue;
    private final Thread sender;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();

    IngressReporter(IngressSettings settings, ManagedChannel channel) {
        this.settings = settings;
        this.channel = channel;
        this.queue = new LinkedBlockingQueue<>(settings.queueCapacity());
        this.sender = Thread.ofPlatform().daemon().name("ingress-reporter").start(this::sendLoop);
    }

    /** Reads {@code gateway.ingress} (the root config or that node) and opens a channel to ingress-service. */
    public static IngressReporter create(Config config) {
        final IngressSettings settings = IngressSettings.create(config);
        return new IngressReporter(settings, NettyChannelBuilder.forTarget(settings.address()).usePlaintext().build());
    }

    @Override
    public void containerChanged(ContainerEvent event) {
        final ContainerChangedRequest request = ContainerChangedRequest.newBuilder()
                .setTenant(tenant(event.tenant()))
                .setContainerId(event.containerId())
                .setAction(event.action())
                .build();
        if (!queue.offer(request) && dropped.incrementAndGet() % 100 == 1) {
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
            final ContainerChangedRequest request;
            try {
                request = queue.take();
                if (request == STOP) {
                    inFlight.acquire(IN_FLIGHT);
                    return;
                }
                inFlight.acquire();
            } catch (InterruptedException e) {
                return;
            }
            stub.withDeadlineAfter(settings.timeout().toMillis(), TimeUnit.MILLISECONDS)
                    .containerChanged(request, new StreamObserver<>() {
                        @Override
                        public void onNext(ContainerChangedResponse response) {
                            // the routes after the change: nothing to do with them here
                        }

                        @Override
                        public void onError(Throwable error) {
                            inFlight.release();
                            failed.incrementAndGet();
                            LOGGER.log(Level.WARNING, "ingress-service did not take the " + request.getAction()
                                    + " of container " + request.getContainerId() + " (tenant "
                                    + request.getTenant().getId() + "): " + Status.fromThrowable(error));
                        }

                        @Override
                        public void onCompleted() {
                            inFlight.release();
                        }
                    });
        }
    }

    /** Sends what is queued (up to the timeout), then closes the channel. */
    @Override
    public void close() {
        queue.offer(STOP);
        try {
            sender.join(settings.timeout().toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sender.interrupt();
        channel.shutdownNow();
    }
}
