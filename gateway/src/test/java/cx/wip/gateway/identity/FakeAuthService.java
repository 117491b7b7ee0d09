package cx.wip.gateway.identity;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import cx.wip.proto.auth.v1.AuthServiceGrpc;
import cx.wip.proto.auth.v1.AuthenticateRequest;
import cx.wip.proto.auth.v1.AuthenticateResponse;
import cx.wip.proto.auth.v1.Denial;
import cx.wip.proto.auth.v1.DenialReason;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;

/**
 * A stand-in for auth-service on a real loopback gRPC socket, answering by a function and recording requests.
 * Unit tests use it to pin the gateway-side behaviour; the ITs in auth-service use the real service.
 */
final class FakeAuthService extends AuthServiceGrpc.AuthServiceImplBase implements AutoCloseable {
    final List<AuthenticateRequest> requests = new CopyOnWriteArrayList<>();
    private volatile Function<AuthenticateRequest, AuthenticateResponse> answer;
    private Server server;

    FakeAuthService(Function<AuthenticateRequest, AuthenticateResponse> answer) {
        this.answer = answer;
    }

    static AuthenticateResponse tenant(String id) {
        return AuthenticateResponse.newBuilder()
                .setTenant(cx.wip.proto.auth.v1.Tenant.newBuilder().setId(id).setSlug("slug-" + id).setPlan("hobby"))
                .build();
    }

    static AuthenticateResponse denial(DenialReason reason) {
        return AuthenticateResponse.newBuilder().setDenial(Denial.newBuilder().setReason(reason)).build();
    }

    FakeAuthService start(int port) {
        try {
            server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port)).addService(this).build().start();
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int port() {
        return server.getPort();
    }

    void answer(Function<AuthenticateRequest, AuthenticateResponse> answer) {
        this.answer = answer;
    }

    @Override
    public void authenticate(AuthenticateRequest request, StreamObserver<AuthenticateResponse> observer) {
        requests.add(request);
        observer.onNext(answer.apply(request));
        observer.onCompleted();
    }

    @Override
    public void close() throws InterruptedException {
        server.shutdownNow();
        server.awaitTermination(5, TimeUnit.SECONDS);
    }
}
