package cx.wip.wipctl;

import java.util.concurrent.TimeUnit;

import cx.wip.proto.auth.v1.AuthAdminServiceGrpc;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;

/** One admin connection per command: a channel and a blocking stub with a deadline. */
final class AdminClient implements AutoCloseable {
    private final String address;
    private final ManagedChannel channel;
    private final long timeoutMillis;

    AdminClient(String address, ManagedChannel channel, long timeoutMillis) {
        this.address = address;
        this.channel = channel;
        this.timeoutMillis = timeoutMillis;
    }

    /** A plaintext channel to {@code host:port} (the admin listener is loopback-only). */
    static AdminClient connect(String address, long timeoutMillis) {
        return new AdminClient(address, NettyChannelBuilder.forTarget(address).usePlaintext().build(), timeoutMillis);
    }

    AuthAdminServiceGrpc.AuthAdminServiceBlockingStub stub() {
        return AuthAdminServiceGrpc.newBlockingStub(channel).withDeadlineAfter(timeoutMillis, TimeUnit.MILLISECONDS);
    }

    String address() {
        return address;
    }

    @Override
    public void close() {
        channel.shutdownNow();
    }
}
