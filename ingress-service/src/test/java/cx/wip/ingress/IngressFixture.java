package cx.wip.ingress;

import cx.wip.ingress.fixtures.CaddyProcess;
import cx.wip.ingress.fixtures.FreePort;
import cx.wip.ingress.fixtures.RedisProcess;
import cx.wip.proto.ingress.v1.IngressGrpc;
import cx.wip.proto.ingress.v1.Tenant;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A whole ingress-service for integration tests: its own redis-server, its own caddy (internal CA, HTTPS on a free
 * loopback port), gRPC and the ask endpoint on fixed free ports (clients and Caddy keep their addresses across
 * ingress restarts), the host's
 * dockerd as every tenant's daemon, and a DNS server port for domain proofs.
 */
public final class IngressFixture implements AutoCloseable {
    public static final String BASE_DOMAIN = "wip.test";

    private final RedisProcess redis;
    private final CaddyProcess caddy;
    private final int askPort = FreePort.next();
    private final int grpcPort = FreePort.next();
    private final int dnsPort = FreePort.next();
    private final String prefix = "wip:ingress:test-" + UUID.randomUUID().toString().substring(0, 8) + ":";
    private final Map<String, String> extra;
    private IngressServer server;
    private ManagedChannel channel;

    public IngressFixture(Path dir) {
        this(dir, Map.of());
    }

    /** @param extra configuration added to (or replacing) the fixture's own, e.g. {@code ingress.vm.address} */
    public IngressFixture(Path dir, Map<String, String> extra) {
        this.extra = Map.copyOf(extra);
        this.redis = RedisProcess.start(dir);
        try {
            this.caddy = CaddyProcess.start(dir);
        } catch (RuntimeException e) {
            redis.close();
            throw e;
        }
        try {
            start();
        } catch (RuntimeException e) {
            caddy.close();
            redis.close();
            throw e;
        }
    }

    public Map<String, String> config() {
        Map<String, String> config = new HashMap<>();
        config.put("server.host", "127.0.0.1");
        config.put("server.port", String.valueOf(grpcPort));
        config.put("server.sockets.0.name", "ask");
        config.put("server.sockets.0.host", "127.0.0.1");
        config.put("server.sockets.0.port", String.valueOf(askPort));
        config.put("ingress.base-domain", BASE_DOMAIN);
        config.put("ingress.redis.uri", redis.uri(0));
        config.put("ingress.redis.prefix", prefix);
        config.put("ingress.default-daemon", "unix:///var/run/docker.sock");
        config.put("ingress.default-public-address", "127.0.0.1");
        config.put("ingress.reconcile-interval", "PT30S");
        config.put("ingress.dns.server", "127.0.0.1:" + dnsPort);
        config.put("ingress.backend", "caddy");
        config.put("ingress.caddy.admin", caddy.admin().toString());
        config.put("ingress.caddy.listen", caddy.listen());
        config.put("ingress.caddy.issuer", "internal");
        config.put("ingress.caddy.ask-url", "http://127.0.0.1:" + askPort + "/ask");
        config.put("ingress.caddy.automatic-https", "false");
        config.putAll(extra);
        return config;
    }

    /** Starts (or starts again) ingress-service on the same state, Caddy and ask port. */
    public void start() {
        server = IngressServer.start(Config.just(ConfigSources.create(config())));
        channel = ManagedChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
    }

    public void stop() {
        if (server == null) {
            return;
        }
        channel.shutdownNow();
        try {
            channel.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        server.close();
        server = null;
    }

    public IngressGrpc.IngressBlockingStub ingress() {
        return IngressGrpc.newBlockingStub(channel).withDeadlineAfter(20, TimeUnit.SECONDS);
    }

    public IngressServer server() {
        return server;
    }

    public CaddyProcess caddy() {
        return caddy;
    }

    public int dnsPort() {
        return dnsPort;
    }

    public String grpcAddress() {
        return "127.0.0.1:" + server.port();
    }

    public static Tenant tenant(String id, String slug) {
        return Tenant.newBuilder().setId(id).setSlug(slug).build();
    }

    @Override
    public void close() {
        stop();
        caddy.close();
        redis.close();
    }
}
