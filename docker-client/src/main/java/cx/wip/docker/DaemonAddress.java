package cx.wip.docker;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;

/**
 * Where a Docker daemon listens: {@code unix:///path} or {@code tcp://host:port}, and whether it speaks TLS there
 * (a daemon started with {@code --tlsverify}: the caller then connects with its client certificate, see
 * {@link DaemonTls}).
 *
 * @param uri the daemon URI, as docker's {@code -H} takes it
 * @param tls whether the daemon expects TLS on a TCP address
 */
public record DaemonAddress(URI uri, boolean tls) {
    public DaemonAddress {
        String scheme = uri.getScheme();
        if (!"unix".equals(scheme) && !"tcp".equals(scheme)) {
            throw new IllegalArgumentException("daemon address must be unix:///path, tcp://host:port or "
                    + "https://host:port, got " + uri);
        }
        if (tls && !"tcp".equals(scheme)) {
            throw new IllegalArgumentException("TLS needs a tcp:// daemon address, got " + uri);
        }
    }

    /**
     * Reads {@code unix:///path}, {@code tcp://host:port} (plain) or {@code https://host:port} (TLS, as docker-py
     * spells a {@code --tlsverify} daemon).
     */
    public static DaemonAddress parse(String value) {
        if (value.startsWith("https://")) {
            return new DaemonAddress(URI.create("tcp://" + value.substring("https://".length())), true);
        }
        return new DaemonAddress(URI.create(value), false);
    }

    /** A daemon address as vm-service reports it, with its TLS flag. */
    public static DaemonAddress of(String value, boolean tls) {
        DaemonAddress parsed = parse(value);
        return tls ? new DaemonAddress(parsed.uri, true) : parsed;
    }

    /** Whether the daemon listens on a unix socket. */
    public boolean unix() {
        return "unix".equals(uri.getScheme());
    }

    /** The socket address to connect to. */
    public SocketAddress socketAddress() {
        if (unix()) {
            return UnixDomainSocketAddress.of(Path.of(uri.getPath()));
        }
        return new InetSocketAddress(uri.getHost(), port());
    }

    /** Host name or IP of a TCP daemon (what its TLS certificate must name). */
    public String host() {
        return uri.getHost();
    }

    /** TCP port: as given, else docker's default (2376 with TLS, 2375 without). */
    public int port() {
        return uri.getPort() >= 0 ? uri.getPort() : tls ? 2376 : 2375;
    }

    @Override
    public String toString() {
        return tls ? "https://" + uri.getRawAuthority() : uri.toString();
    }
}
