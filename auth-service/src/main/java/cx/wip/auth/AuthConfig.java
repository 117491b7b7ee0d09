package cx.wip.auth;

import java.nio.file.Path;

import cx.wip.auth.ca.CaConfig;

import io.helidon.config.Config;

/**
 * The {@code auth} config section.
 *
 * @param host          bind address of the gateway-facing listener (Authenticate, health, reflection)
 * @param port          its port (0 = any free port)
 * @param adminHost     bind address of the admin listener; loopback so tenants never reach it
 * @param adminPort     its port (0 = any free port)
 * @param adminTokenFile file holding the token every admin call must carry (created, mode 600, when missing)
 * @param redisUri      Redis, e.g. {@code redis://127.0.0.1:6379}
 * @param keyPrefix     prefix of every Redis key this service writes
 * @param tokenKeyFile  file holding the secret key that token hashes are keyed with (32+ bytes)
 * @param ca            the CA section
 */
public record AuthConfig(String host, int port, String adminHost, int adminPort, Path adminTokenFile, String redisUri,
                         String keyPrefix, Path tokenKeyFile, CaConfig ca) {
    /** Where auth-service and wipctl look for the admin token unless told otherwise (relative to the working dir). */
    public static final String DEFAULT_ADMIN_TOKEN_FILE = ".wip/admin/admin.token";

    public AuthConfig {
        if (keyPrefix.isBlank()) {
            throw new IllegalArgumentException("auth.redis.key-prefix must not be empty");
        }
        if (port < 0 || adminPort < 0) {
            throw new IllegalArgumentException("auth.port and auth.admin.port must be >= 0");
        }
    }

    /** Reads the {@code auth} section. */
    public static AuthConfig create(Config auth) {
        return new AuthConfig(auth.get("host").asString().orElse("127.0.0.1"),
                              auth.get("port").asInt().orElse(9101),
                              auth.get("admin.host").asString().orElse("127.0.0.1"),
                              auth.get("admin.port").asInt().orElse(9111),
                              Path.of(auth.get("admin.token-file").asString().orElse(DEFAULT_ADMIN_TOKEN_FILE)),
                              auth.get("redis.uri").asString().orElse("redis://127.0.0.1:6379"),
                              auth.get("redis.key-prefix").asString().orElse("wip:auth:"),
                              Path.of(auth.get("token-key-file").asString().orElse(".wip/auth/token-hmac.key")),
                              CaConfig.create(auth.get("ca")));
    }
}
