package cx.wip.vm.spi;

import java.util.Objects;

/**
 * How the gateway reaches a tenant daemon.
 *
 * @param dockerAddress {@code unix:///path/docker.sock} or {@code tcp://host:port}
 * @param publicAddress IP at which the tenant's published ports answer (what ingress routes to)
 * @param tls           whether the daemon speaks TLS on {@code dockerAddress}
 * @param engineId      the daemon's own {@code ID} from {@code GET /info}, so that a backend whose addresses can pass
 *                      to another tenant's daemon (DHCP'd VMs) can tell it is still the tenant's; "" when the backend
 *                      records none, or the record predates it
 */
public record DaemonEndpoint(String dockerAddress, String publicAddress, boolean tls, String engineId) {
    public DaemonEndpoint {
        Objects.requireNonNull(dockerAddress, "dockerAddress");
        Objects.requireNonNull(publicAddress, "publicAddress");
        Objects.requireNonNull(engineId, "engineId");
        if (!dockerAddress.startsWith("unix://") && !dockerAddress.startsWith("tcp://")) {
            throw new IllegalArgumentException("docker address must be unix:// or tcp://, got " + dockerAddress);
        }
    }

    /** An endpoint without an engine identity (backends whose addresses cannot pass to another tenant). */
    public DaemonEndpoint(String dockerAddress, String publicAddress, boolean tls) {
        this(dockerAddress, publicAddress, tls, "");
    }
}
