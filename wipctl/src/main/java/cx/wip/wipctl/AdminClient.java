package cx.wip.wipctl;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import cx.wip.proto.auth.v1.AuthAdminServiceGrpc;
import cx.wip.telemetry.GrpcChannels;
import cx.wip.telemetry.GrpcClientConfig;

import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;

/** One admin connection per command: a channel and a blocking stub with a deadline, carrying the admin token. */
final class AdminClient implements AutoCloseable {
    private final String address;
    private final ManagedChannel channel;
    private final long timeoutMillis;
    private final Metadata credential = new Metadata();

    AdminClient(String address, ManagedChannel channel, String token, long timeoutMillis) {
        this.address = address;
        this.channel = channel;
        this.timeoutMillis = timeoutMillis;
        credential.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
    }

    /** A plaintext channel to {@code host:port} (the admin listener is loopback or the wip network only). */
    static AdminClient connect(String address, String token, long timeoutMillis) {
        return new AdminClient(address, GrpcChannels.open(WipCtl.USER_AGENT,
                GrpcClientConfig.of(address, Duration.ofMillis(timeoutMillis))), token, timeoutMillis);
    }

    AuthAdminServiceGrpc.AuthAdminServiceBlockingStub stub() {
        return AuthAdminServiceGrpc.newBlockingStub(channel)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(credential))
                .withDeadlineAfter(timeoutMillis, TimeUnit.MILLISECONDS);
    }

    /** How a command gets its client: the real one connects; tests hand in their own. */
    @FunctionalInterface
    interface Connector {
        AdminClient connect(String address, String token, long timeoutMillis);
    }

    String address() {
        return address;
    }

    @Override
    public void close() {
        // one command's calls have all been answered: nothing to wait for
        GrpcChannels.close(channel, Duration.ZERO);
    }
}
