package cx.wip.auth;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import cx.wip.auth.ca.CaFiles;
import cx.wip.gateway.GatewayConfig;
import cx.wip.gateway.GatewayServer;
import cx.wip.gateway.identity.GrpcAuthenticator;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;

/**
 * The real thing, in-process where it is Java: a private redis-server, auth-service, and a gateway (plain and mTLS
 * listeners) in front of the host's dockerd that asks auth-service through {@link GrpcAuthenticator}.
 */
public final class Stack implements AutoCloseable {
    public final RedisProcess redis;
    public final Path dir;
    private AuthServer auth;
    private final int authPort;
    private final int adminPort;
    private final GrpcAuthenticator authenticator;
    public final GatewayServer gateway;

    private Stack(Path dir, RedisProcess redis, AuthServer auth, GrpcAuthenticator authenticator, GatewayServer gateway) {
        this.dir = dir;
        this.redis = redis;
        this.auth = auth;
        this.authPort = auth.port();
        this.adminPort = auth.adminPort();
        this.authenticator = authenticator;
        this.gateway = gateway;
    }

    private static Stack create(Path dir, Map<String, String> authSettings) {
        final RedisProcess redis = RedisProcess.start();
        AuthServer auth = null;
        GrpcAuthenticator authenticator = null;
        try {
            auth = AuthServer.start(AuthFixture.config(redis, dir, 0, 0));
            final Map<String, String> settings = new HashMap<>(Map.of(
                    "gateway.auth.address", "127.0.0.1:" + auth.port(),
                    "gateway.auth.cache-ttl", "PT2S",
                    "gateway.auth.host-key.enabled", "true",
                    "gateway.auth.host-key.domain", "wip.localhost",
                    "gateway.auth.throttle.failures", "100",
                    "gateway.auth.throttle.window", "PT30S"));
            settings.putAll(authSettings);
            authenticator = GrpcAuthenticator.create(Config.just(ConfigSources.create(settings)));
            final Path ca = dir.resolve("ca");
            final Config gatewayConfig = Config.just(ConfigSources.create(Map.of(
                    "gateway.host", "127.0.0.1",
                    "gateway.port", "0",
                    "gateway.admin-port", "0",
                    "gateway.daemon", "unix:///var/run/docker.sock",
                    "gateway.tls.port", "0",
                    "gateway.tls.cert", ca.resolve(CaFiles.SERVER_CERT).toString(),
                    "gateway.tls.key", ca.resolve(CaFiles.SERVER_KEY).toString(),
                    "gateway.tls.client-ca", ca.resolve(CaFiles.CA_CERT).toString())));
            final GatewayServer gateway = GatewayServer.builder()
                    .config(GatewayConfig.create(gatewayConfig.get("gateway")))
                    .authenticator(authenticator)
                    .clientCertificates(authenticator.clientCertificates())
                    .build()
                    .start();
            return new Stack(dir, redis, auth, authenticator, gateway);
        } catch (RuntimeException e) {
            if (authenticator != null) {
                authenticator.close();
            }
            if (auth != null) {
                auth.close();
            }
            redis.close();
            throw e;
        }
    }

    public static Stack start(Path dir) {
        return start(dir, Map.of());
    }

    /** With {@code gateway.auth.*} overrides, e.g. a low throttle. */
    public static Stack start(Path dir, Map<String, String> authSettings) {
        return create(dir, authSettings);
    }

    public String admin() {
        return "127.0.0.1:" + adminPort;
    }

    /** {@code tcp://127.0.0.1:<plain port>} */
    public String plainHost() {
        return "tcp://127.0.0.1:" + gateway.port();
    }

    public void stopAuth() {
        auth.close();
    }

    /** Starts auth-service again on the same ports, same Redis and files. */
    public void restartAuth() {
        auth = AuthServer.start(AuthFixture.config(redis, dir, authPort, adminPort));
    }

    /** wipctl against this auth-service. */
    public WipCtlRun wipctl(String... args) {
        return WipCtlRun.run(admin(), AuthFixture.adminTokenFile(dir), args);
    }

    @Override
    public void close() {
        gateway.close();
        authenticator.close();
        auth.close();
        redis.close();
    }
}
