package cx.wip.auth.ca;

import java.nio.file.Path;
import java.time.Duration;

import io.helidon.config.Config;

/**
 * Where the CA keeps its files and what it signs.
 *
 * @param dir             directory holding {@code ca.pem}, {@code ca-key.pem}, {@code server.pem}, {@code server-key.pem}
 * @param domain          the gateway's wildcard domain: the server certificate covers {@code *.<domain>}
 * @param createMissing   create absent files (dev); when false, absent files are an error
 * @param clientValidity  lifetime of tenant client certificates
 */
public record CaConfig(Path dir, String domain, boolean createMissing, Duration clientValidity) {
    public CaConfig {
        if (domain.isBlank() || domain.startsWith(".") || domain.contains("*")) {
            throw new IllegalArgumentException("auth.ca.domain must be a plain domain like wip.localhost, got '" + domain + "'");
        }
        if (clientValidity.isNegative() || clientValidity.isZero()) {
            throw new IllegalArgumentException("auth.ca.client-validity must be positive");
        }
    }

    /** Reads the {@code auth.ca} section. */
    public static CaConfig create(Config config) {
        return new CaConfig(Path.of(config.get("dir").asString().orElse(".wip/ca")),
                            config.get("domain").asString().orElse("wip.localhost"),
                            config.get("create-missing").asBoolean().orElse(true),
                            config.get("client-validity").as(Duration.class).orElse(Duration.ofDays(365)));
    }
}
