package cx.wip.gateway.endpoint;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;

/**
 * Where a Docker daemon listens: {@code unix:///path} or {@code tcp://host:port}.
 *
 * @param uri the daemon URI, as docker's {@code -H} takes it
 */
public record DaemonAddress(URI uri) {
    public DaemonAddress {
        String scheme = uri.getScheme();
        if (!"unix".equals(scheme) && !"tcp".equals(scheme)) {
            throw new IllegalArgumentException("daemon address must be unix:///path or tcp://host:port, got " + uri);
        }
    }

    public static DaemonAddress parse(String value) {
        return new DaemonAddress(URI.create(value));
    }

    /** The socket address to connect to. */
    public SocketAddress socketAddress() {
        if ("unix".equals(uri.getScheme())) {
            return UnixDomainSocketAddress.of(Path.of(uri.getPath()));
        }
        return new InetSocketAddress(uri.getHost(), uri.getPort() < 0 ? 2375 : uri.getPort());
    }

    @Override
    public String toString() {
        return uri.toString();
    }
}
