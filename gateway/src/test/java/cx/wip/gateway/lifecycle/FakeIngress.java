package cx.wip.gateway.lifecycle;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.net.InetSocketAddress;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import cx.wip.proto.ingress.v1.CheckLabelRequest;
import cx.wip.proto.ingress.v1.CheckLabelResponse;
import cx.wip.proto.ingress.v1.ContainerChangedRequest;
import cx.wip.proto.ingress.v1.ContainerChangedResponse;
import cx.wip.proto.ingress.v1.IngressGrpc;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;

/** A loopback stand-in for ingress-service's gRPC contract: records reports, answers label checks, can stall. */
final class FakeIngress extends IngressGrpc.IngressImplBase implements AutoCloseable {
    final List<ContainerChangedRequest> reports = new CopyOnWriteArrayList<>();
    final List<CheckLabelRequest> checks = new CopyOnWriteArrayList<>();
    final CountDownLatch release = new CountDownLatch(1);
    private final Function<String, CheckLabelResponse> checker;
    private final boolean stall;
    private Server server;

    FakeIngress(Function<String, CheckLabelResponse> checker, boolean stall) {
        this.checker = checker;
        this.stall = stall;
    }

    FakeIngress start() {
        try {
            server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)).addService(this).build().start();
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    ManagedChannel channel() {
        return NettyChannelBuilder.forTarget("127.0.0.1:" + server.getPort()).usePlaintext().build();
    }

    /** @return a channel to a loopback port where nothing listens */
    static ManagedChannel nobodyListens() {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return NettyChannelBuilder.forTarget("127.0.0.1:" + socket.getLocalPort()).usePlaintext().build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void containerChanged(ContainerChangedRequest request, StreamObserver<ContainerChangedResponse> response) {
        if (stall) {
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        reports.add(request);
        response.onNext(ContainerChangedResponse.getDefaultInstance());
        response.onCompleted();
    }

    @Override
    public void checkLabel(CheckLabelRequest request, StreamObserver<CheckLabelResponse> response) {
        checks.add(request);
        response.onNext(checker.apply(request.getValue()));
        response.onCompleted();
    }

    @Override
    public void close() {
        release.countDown();
        if (server != null) {
            server.shutdownNow();
        }
    }
}
