package cx.wip.docker;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;

/**
 * How bytes reach one Docker daemon: its unix socket, plain TCP, or TLS over TCP with a client certificate. Every
 * connection to a daemon starts here; {@link DaemonConnection} speaks HTTP/1.1 over what {@link #connect} returns, and
 * {@code DaemonTransportContract} is the test each transport passes against a real dockerd.
 */
public interface DaemonTransport {
    /** The daemon this transport reaches (for pooling and for error messages). */
    DaemonAddress address();

    /** A new byte stream to the daemon; the raw {@link IOException} of the failure (refused, TLS handshake, …). */
    DaemonSocket connect() throws IOException;

    /**
     * The transport an address asks for: unix, TCP, or TLS with {@code tls}'s client certificate. A TLS address without
     * client TLS configured gives a transport whose every {@link #connect} fails with a sentence saying so.
     *
     * @param connectTimeout bounds the TCP connect and the TLS handshake (a unix connect does not wait)
     */
    static DaemonTransport of(DaemonAddress address, Optional<DaemonTls> tls, Duration connectTimeout) {
        if (address.unix()) {
            return new UnixTransport(address);
        }
        if (!address.tls()) {
            return new TcpTransport(address, connectTimeout);
        }
        return tls.<DaemonTransport>map(client -> new TlsTransport(address, client, connectTimeout))
                .orElseGet(() -> new TlsUnconfigured(address));
    }

    /** A daemon that wants TLS, and no client certificate to present. */
    record TlsUnconfigured(DaemonAddress address) implements DaemonTransport {
        @Override
        public DaemonSocket connect() throws IOException {
            throw new IOException("the daemon at " + address + " speaks TLS and no daemon-tls client certificate is "
                    + "configured");
        }
    }
}
