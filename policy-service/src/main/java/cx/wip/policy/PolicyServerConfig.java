package cx.wip.policy;

import io.helidon.config.Config;

/**
 * Where the policy service listens.
 *
 * @param host address to bind (loopback by default: only the gateway asks)
 * @param port gRPC and health port
 */
record PolicyServerConfig(String host, int port) {
    PolicyServerConfig {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("policy.port must be 0-65535, got " + port);
        }
    }

    /** @param policy the {@code policy} config node */
    static PolicyServerConfig create(Config policy) {
        return new PolicyServerConfig(policy.get("host").asString().orElse("127.0.0.1"),
                policy.get("port").asInt().orElse(9103));
    }
}
