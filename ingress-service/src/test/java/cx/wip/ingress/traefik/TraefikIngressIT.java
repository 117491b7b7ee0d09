package cx.wip.ingress.traefik;

import cx.wip.ingress.IngressServer;
import cx.wip.ingress.fixtures.RedisProcess;
import cx.wip.proto.ingress.v1.Container;
import cx.wip.proto.ingress.v1.IngressGrpc;
import cx.wip.proto.ingress.v1.SyncRoutesRequest;
import cx.wip.proto.ingress.v1.Tenant;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** ingress-service configured with the Traefik backend: a sync over gRPC becomes Traefik's KV tree in its own DB. */
class TraefikIngressIT {
    @TempDir
    Path dir;

    @Test
    void syncedRoutes_becomeTraefiksTree_inItsOwnDb() {
        try (RedisProcess redis = RedisProcess.start(dir);
             IngressServer server = IngressServer.start(Config.just(ConfigSources.create(Map.of(
                     "server.host", "127.0.0.1", "server.port", "0", "server.sockets.0.name", "ask",
                     "server.sockets.0.host", "127.0.0.1", "server.sockets.0.port", "0",
                     "ingress.base-domain", "wip.example", "ingress.backend", "traefik",
                     "ingress.redis.uri", redis.uri(0), "ingress.traefik.redis-uri", redis.uri(1),
                     "ingress.traefik.cert-resolver", "letsencrypt"))))) {
            ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
            try {
                IngressGrpc.newBlockingStub(channel).syncRoutes(SyncRoutesRequest.newBuilder()
                        .setTenant(Tenant.newBuilder().setId("alice").setSlug("alice").setPublicAddress("10.0.0.5"))
                        .addContainers(Container.newBuilder().setId("c1").setRunning(true)
                                .putLabels("com.wip.http", "web:80").putPublishedPorts(80, 32768))
                        .build());
            } finally {
                channel.shutdownNow();
            }

            try (RedisClient client = RedisClient.create(redis.uri(1));
                 StatefulRedisConnection<String, String> db1 = client.connect()) {
                assertThat(TraefikRouteBackendIT.wholeDb(db1)).containsExactlyInAnyOrderEntriesOf(Map.of(
                        "traefik/http/routers/wip_alice_web_alice_wip_example/rule", "Host(`web.alice.wip.example`)",
                        "traefik/http/routers/wip_alice_web_alice_wip_example/entrypoints/0", "websecure",
                        "traefik/http/routers/wip_alice_web_alice_wip_example/service", "wip_alice_web_alice_wip_example",
                        "traefik/http/routers/wip_alice_web_alice_wip_example/tls/certresolver", "letsencrypt",
                        "traefik/http/services/wip_alice_web_alice_wip_example/loadbalancer/servers/0/url",
                        "http://10.0.0.5:32768"));
            }
        }
    }
}
