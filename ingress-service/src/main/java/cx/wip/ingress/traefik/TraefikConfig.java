package cx.wip.ingress.traefik;

import io.helidon.config.Config;

/**
 * Where Traefik's Redis provider reads its tree ({@code ingress.traefik}).
 *
 * @param redisUri     Redis URI including Traefik's own DB, e.g. {@code redis://127.0.0.1:6379/1}: Traefik re-reads
 *                     every key under its root on each change, so nothing else may live there
 * @param rootKey      Traefik's {@code providers.redis.rootKey}
 * @param entryPoint   the HTTPS entry point routers attach to
 * @param certResolver the certificate resolver name (Let's Encrypt) in Traefik's static configuration
 */
public record TraefikConfig(String redisUri, String rootKey, String entryPoint, String certResolver) {
    public TraefikConfig {
        for (String part : new String[] {rootKey, entryPoint, certResolver}) {
            if (!part.matches("[A-Za-z0-9_-]+")) {
                throw new IllegalArgumentException("ingress.traefik names must be plain words, got " + part);
            }
        }
    }

    public static TraefikConfig create(Config config) {
        return new TraefikConfig(config.get("redis-uri").asString().orElse("redis://127.0.0.1:6379/1"),
                config.get("root-key").asString().orElse("traefik"),
                config.get("entrypoint").asString().orElse("websecure"),
                config.get("cert-resolver").asString().orElse("le"));
    }
}
