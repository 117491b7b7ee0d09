package cx.wip.auth;

import java.nio.file.Path;
import java.time.Duration;

import cx.wip.auth.ca.CaConfig;

/** An in-process auth-service on free loopback ports, over a {@link RedisProcess} and a temp directory. */
public final class AuthFixture {
    private AuthFixture() {
    }

    public static AuthConfig config(RedisProcess redis, Path dir, int port, int adminPort) {
        return new AuthConfig("127.0.0.1", port, "127.0.0.1", adminPort, adminTokenFile(dir), redis.uri(), redis.prefix(),
                              dir.resolve("auth/token-hmac.key"),
                              new CaConfig(dir.resolve("ca"), "wip.localhost", true, Duration.ofDays(30)));
    }

    /** Where the fixture's auth-service keeps its admin token (written on start). */
    public static Path adminTokenFile(Path dir) {
        return dir.resolve("admin/admin.token");
    }
}
