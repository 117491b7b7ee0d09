package cx.wip.gateway.identity;

import java.time.Duration;
import java.util.Locale;

import cx.wip.telemetry.GrpcClientConfig;

import io.helidon.config.Config;

/**
 * The {@code gateway.auth} section, read by {@link GrpcAuthenticator}.
 *
 * @param grpc              the channel to auth-service: its {@code host:port}, the deadline of one Authenticate call,
 *                          keepalive
 * @param cacheTtl          how long a proven credential stays cached (revocation takes effect within this + one call)
 * @param cacheMaxEntries   bound on cached credentials
 * @param hostKeyEnabled    whether {@code <key>.<domain>} in the Host header is accepted
 * @param hostKeyDomain     that domain, lowercase, e.g. {@code wip.localhost}
 * @param throttleFailures  failed authentications allowed per source address within {@code throttleWindow}
 * @param throttleWindow    the window after which an address's failures are forgotten
 * @param throttleMaxAddresses bound on tracked addresses
 */
public record AuthSettings(GrpcClientConfig grpc,
                           Duration cacheTtl,
                           int cacheMaxEntries,
                           boolean hostKeyEnabled,
                           String hostKeyDomain,
                           int throttleFailures,
                           Duration throttleWindow,
                           int throttleMaxAddresses) {
    public AuthSettings {
        if (!grpc.address().contains(":")) {
            throw new IllegalArgumentException("gateway.auth.address must be host:port, got '" + grpc.address() + "'");
        }
        if (cacheTtl.isNegative() || cacheTtl.compareTo(Duration.ofSeconds(5)) > 0) {
            throw new IllegalArgumentException("gateway.auth.cache-ttl must be between PT0S and PT5S (revocation must "
                                                       + "reach every gateway within 5 s), got " + cacheTtl);
        }
        if (throttleFailures < 1 || throttleWindow.isNegative() || throttleWindow.isZero()) {
            throw new IllegalArgumentException("gateway.auth.throttle.failures must be >= 1 and throttle.window positive");
        }
        if (cacheMaxEntries < 1 || throttleMaxAddresses < 1) {
            throw new IllegalArgumentException("gateway.auth cache/throttle bounds must be >= 1");
        }
        hostKeyDomain = hostKeyDomain.toLowerCase(Locale.ROOT);
        if (hostKeyEnabled && (hostKeyDomain.isBlank() || hostKeyDomain.startsWith("."))) {
            throw new IllegalArgumentException("gateway.auth.host-key.domain must be a domain like wip.localhost");
        }
    }

    /**
     * Reads {@code gateway.auth}: pass the root config or that node itself.
     */
    public static AuthSettings create(Config config) {
        final Config auth = config.get("gateway.auth").exists() ? config.get("gateway.auth") : config;
        return new AuthSettings(GrpcClientConfig.create(auth, "127.0.0.1:9101", Duration.ofSeconds(2)),
                                auth.get("cache-ttl").as(Duration.class).orElse(Duration.ofSeconds(2)),
                                auth.get("cache-max-entries").asInt().orElse(100_000),
                                auth.get("host-key.enabled").asBoolean().orElse(true),
                                auth.get("host-key.domain").asString().orElse("wip.localhost"),
                                auth.get("throttle.failures").asInt().orElse(10),
                                auth.get("throttle.window").as(Duration.class).orElse(Duration.ofMinutes(1)),
                                auth.get("throttle.max-addresses").asInt().orElse(100_000));
    }

    /** auth-service's {@code host:port}. */
    public String address() {
        return grpc.address();
    }

    /** The deadline of one Authenticate call. */
    public Duration timeout() {
        return grpc.timeout();
    }
}
