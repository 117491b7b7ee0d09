package cx.wip.ingress.caddy;

import io.helidon.config.Config;

import java.net.URI;

/**
 * How ingress-service reaches and sets up Caddy ({@code ingress.caddy}).
 *
 * @param admin          admin API base URL, e.g. {@code http://127.0.0.1:2019}
 * @param server         name of the HTTP server that carries the routes
 * @param listen         address that server listens on, e.g. {@code :443}
 * @param issuer         {@code internal} (Caddy's own CA, for tests and private setups) or {@code acme}
 * @param acmeEmail      account e-mail for {@code acme}
 * @param askUrl         on-demand TLS {@code ask} URL (ingress-service's own endpoint): only hosts it approves get
 *                       a certificate
 * @param automaticHttps keep Caddy's automatic HTTPS (certificates managed eagerly, :80 redirect); off in tests so
 *                       that every certificate goes through {@code ask}
 */
public record CaddyConfig(URI admin, String server, String listen, String issuer, String acmeEmail, String askUrl,
                          boolean automaticHttps) {
    public CaddyConfig {
        if (!"internal".equals(issuer) && !"acme".equals(issuer)) {
            throw new IllegalArgumentException("ingress.caddy.issuer must be internal or acme, got " + issuer);
        }
        if (!server.matches("[A-Za-z0-9_-]+")) {
            throw new IllegalArgumentException("ingress.caddy.server must be a plain name, got " + server);
        }
    }

    public static CaddyConfig create(Config config) {
        return new CaddyConfig(URI.create(config.get("admin").asString().orElse("http://127.0.0.1:2019")),
                config.get("server").asString().orElse("wip"),
                config.get("listen").asString().orElse(":443"),
                config.get("issuer").asString().orElse("acme"),
                config.get("acme-email").asString().orElse(""),
                config.get("ask-url").asString().orElse("http://127.0.0.1:9114/ask"),
                config.get("automatic-https").asBoolean().orElse(true));
    }
}
