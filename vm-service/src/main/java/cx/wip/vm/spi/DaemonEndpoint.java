package cx.wip.vm.spi;

import java.util.Objects;

/**
 * How the gateway reaches a tenant daemon.
 *
 * @param dockerAddress {@code unix:///path/docker.sock} or {@code tcp://host:port}
 * @param publicAddress IP at which the tenant's published ports answer (what ingress routes to)
 * @param tls           whether the daemon speaks TLS on {@code dockerAddress}
 */
public record DaemonEndpoint(String dockerAddress, String publicAddress, boolean tls) {
    public DaemonEndpoint {
        Objects.requireNonNull(dockerAddress, "dockerAddress");
        Objects.requireNonNull(publicAddress, "publicAddress");
        if (!dockerAddress.startsWith("unix://") && !dockerAddress.startsWith("tcp://")) {
            throw new IllegalArgumentException("docker address must be unix:// or tcp://, got " + dockerAddress);
        }
    }
}
