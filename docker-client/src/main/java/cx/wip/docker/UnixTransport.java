package cx.wip.docker;

import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;

/** A daemon's unix socket ({@code unix:///var/run/docker.sock}, a local tenant engine's socket). */
public record UnixTransport(DaemonAddress address) implements DaemonTransport {
    public UnixTransport {
        if (!address.unix()) {
            throw new IllegalArgumentException("not a unix:// daemon address: " + address);
        }
    }

    @Override
    public DaemonSocket connect() throws IOException {
        return DaemonSocket.of(SocketChannel.open((UnixDomainSocketAddress) address.socketAddress()));
    }
}
