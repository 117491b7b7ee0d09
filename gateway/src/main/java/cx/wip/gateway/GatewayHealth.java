package cx.wip.gateway;

import cx.wip.docker.DaemonConnection;
import cx.wip.gateway.proxy.Forwarder;

import io.helidon.health.HealthCheck;
import io.helidon.health.HealthCheckResponse;
import io.helidon.health.HealthCheckType;

/** The gateway is live while it serves; the details show what it holds open. */
final class GatewayHealth implements HealthCheck {
    @Override
    public HealthCheckType type() {
        return HealthCheckType.LIVENESS;
    }

    @Override
    public String name() {
        return "gateway";
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.builder()
                .status(true)
                .detail("daemonConnectionsOpen", DaemonConnection.openCount())
                .detail("hijackedOpen", Forwarder.openHijacked())
                .build();
    }
}
