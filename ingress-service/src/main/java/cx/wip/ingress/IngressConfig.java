package cx.wip.ingress;

import io.helidon.config.Config;

import java.net.URI;
import java.time.Duration;

/**
 * ingress-service's settings ({@code ingress}).
 *
 * @param baseDomain             routes are {@code <name>.<slug>.<base-domain>}
 * @param redisUri               Redis for ingress state (not Traefik's DB)
 * @param redisPrefix            prefix of every key ingress-service writes there
 * @param defaultDaemon          daemon of a tenant whose request names none (single-daemon mode)
 * @param defaultPublicAddress   address of published ports when the request names none
 * @param directContainerNetwork dial a container's own address when the port is not published (only where the route
 *                               backend shares the daemon's host)
 * @param reconcileInterval      how often every known tenant is re-synced (repairs drift)
 * @param dnsServer              {@code host:port} of the DNS server for domain proofs; empty: system resolvers
 * @param backend                {@code caddy} or {@code traefik}
 */
public record IngressConfig(String baseDomain, String redisUri, String redisPrefix, URI defaultDaemon,
                            String defaultPublicAddress, boolean directContainerNetwork, Duration reconcileInterval,
                            String dnsServer, String backend) {
    public IngressConfig {
        HttpLabel.domain(baseDomain);
        if (!"caddy".equals(backend) && !"traefik".equals(backend)) {
            throw new IllegalArgumentException("ingress.backend must be caddy or traefik, got " + backend);
        }
        if (redisPrefix.isBlank()) {
            throw new IllegalArgumentException("ingress.redis.prefix must not be empty");
        }
    }

    public static IngressConfig create(Config config) {
        return new IngressConfig(config.get("base-domain").asString().orElse("wip.localhost"),
                config.get("redis.uri").asString().orElse("redis://127.0.0.1:6379/0"),
                config.get("redis.prefix").asString().orElse("wip:ingress:"),
                URI.create(config.get("default-daemon").asString().orElse("unix:///var/run/docker.sock")),
                config.get("default-public-address").asString().orElse("127.0.0.1"),
                config.get("direct-container-network").asBoolean().orElse(false),
                config.get("reconcile-interval").as(Duration.class).orElse(Duration.ofSeconds(30)),
                config.get("dns.server").asString().orElse(""),
                config.get("backend").asString().orElse("caddy"));
    }
}
