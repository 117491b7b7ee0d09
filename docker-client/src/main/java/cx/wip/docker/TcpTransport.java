package cx.wip.docker;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;

/** Plain TCP to a daemon ({@code tcp://host:2375}): a local tenant engine on its namespace's address, dev set-ups. */
public record TcpTransport(DaemonAddress address, Duration connectTimeout) implements DaemonTransport {
    public TcpTransport {
        if (address.unix() || address.tls()) {
            throw new IllegalArgumentException("not a plain tcp:// daemon address: " + address);
        }
    }

    @Override
    public DaemonSocket connect() throws IOException {
        return DaemonSocket.of(open(address, connectTimeout));
    }

    /** A connected socket, no Nagle delay (requests are written whole; answers are streamed). */
    static Socket open(DaemonAddress address, Duration connectTimeout) throws IOException {
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.connect((InetSocketAddress) address.socketAddress(), (int) Math.max(1, connectTimeout.toMillis()));
            return socket;
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }
}
