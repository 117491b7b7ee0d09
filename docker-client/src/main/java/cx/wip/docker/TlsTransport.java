package cx.wip.docker;

import java.io.IOException;
import java.net.Socket;
import java.time.Duration;

/**
 * TLS to a daemon started with {@code --tlsverify} ({@code https://host:2376}, a proxmox VM): the client certificate
 * and the CA of {@link DaemonTls}; the daemon's certificate must name the host dialled, or {@code server-name}.
 */
public record TlsTransport(DaemonAddress address, DaemonTls tls, Duration connectTimeout) implements DaemonTransport {
    public TlsTransport {
        if (!address.tls()) {
            throw new IllegalArgumentException("not a TLS daemon address: " + address);
        }
    }

    @Override
    public DaemonSocket connect() throws IOException {
        Socket plain = TcpTransport.open(address, connectTimeout);
        try {
            return DaemonSocket.of(tls.wrap(plain, address.host(), address.port(),
                    (int) Math.max(1, connectTimeout.toMillis())));
        } catch (IOException | RuntimeException e) {
            plain.close();
            throw e;
        }
    }
}
