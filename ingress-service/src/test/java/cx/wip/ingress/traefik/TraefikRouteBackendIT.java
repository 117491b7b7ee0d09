package cx.wip.ingress.traefik;

import cx.wip.ingress.RouteBackend;
import cx.wip.ingress.RouteBackendContract;
import cx.wip.ingress.WakePath;
import cx.wip.ingress.fixtures.RedisProcess;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The route contract against a real Redis, plus the exact KV tree Traefik's Redis provider reads (Traefik itself
 * cannot run here): every key and value, Traefik's own DB only, services written before routers.
 */
class TraefikRouteBackendIT extends RouteBackendContract {
    @TempDir
    static Path dir;
    static RedisProcess redis;
    static RedisClient client;
    static StatefulRedisConnection<String, String> db1;

    @BeforeAll
    static void startRedis() {
        redis = RedisProcess.start(dir);
        client = RedisClient.create(redis.uri(1));
        db1 = client.connect();
    }

    @AfterAll
    static void stopRedis() {
        if (db1 != null) {
            db1.close();
        }
        if (client != null) {
            client.shutdown();
        }
        redis.close();
    }

    @Override
    protected RouteBackend newBackend() {
        return TraefikRouteBackend.create(new TraefikConfig(redis.uri(1), "traefik", "websecure", "le"));
    }

    static Map<String, String> wholeDb(StatefulRedisConnection<String, String> connection) {
        Map<String, String> all = new TreeMap<>();
        for (String key : connection.sync().keys("*")) {
            all.put(key, connection.sync().get(key));
        }
        return all;
    }

    @Test
    void kvTree_isExactlyTraefiksSchema() {
        backend.apply(ALICE, List.of(route("web.alice.wip.test", "10.0.0.5:32768", "10.0.0.5:32770"),
                route("www.shop.test", "10.0.0.5:32771")));

        assertThat(wholeDb(db1)).containsExactlyEntriesOf(new TreeMap<>(Map.ofEntries(
                Map.entry("traefik/http/routers/wip_alice_web_alice_wip_test/entrypoints/0", "websecure"),
                Map.entry("traefik/http/routers/wip_alice_web_alice_wip_test/rule", "Host(`web.alice.wip.test`)"),
                Map.entry("traefik/http/routers/wip_alice_web_alice_wip_test/service", "wip_alice_web_alice_wip_test"),
                Map.entry("traefik/http/routers/wip_alice_web_alice_wip_test/tls/certresolver", "le"),
                Map.entry("traefik/http/routers/wip_alice_www_shop_test/entrypoints/0", "websecure"),
                Map.entry("traefik/http/routers/wip_alice_www_shop_test/rule", "Host(`www.shop.test`)"),
                Map.entry("traefik/http/routers/wip_alice_www_shop_test/service", "wip_alice_www_shop_test"),
                Map.entry("traefik/http/routers/wip_alice_www_shop_test/tls/certresolver", "le"),
                Map.entry("traefik/http/services/wip_alice_web_alice_wip_test/loadbalancer/servers/0/url",
                        "http://10.0.0.5:32768"),
                Map.entry("traefik/http/services/wip_alice_web_alice_wip_test/loadbalancer/servers/1/url",
                        "http://10.0.0.5:32770"),
                Map.entry("traefik/http/services/wip_alice_www_shop_test/loadbalancer/servers/0/url",
                        "http://10.0.0.5:32771"))));
    }

    @Test
    void removingARoute_leavesNoKeyBehind() {
        backend.apply(ALICE, List.of(route("web.alice.wip.test", "10.0.0.5:32768", "10.0.0.5:32770")));
        backend.apply(ALICE, List.of());

        assertThat(wholeDb(db1)).isEmpty();
    }

    @Test
    void onlyTraefiksDb_isWritten() {
        backend.apply(ALICE, List.of(route("web.alice.wip.test", "10.0.0.5:32768")));

        try (StatefulRedisConnection<String, String> db0 = RedisClient.create(redis.uri(0)).connect()) {
            assertThat(db0.sync().dbsize()).isZero();
        }
        assertThat(db1.sync().dbsize()).isEqualTo(5);
    }

    @Test
    void servicesAreWrittenBeforeRouters_andRoutersDeletedFirst() {
        db1.sync().configSet("notify-keyspace-events", "KEA");
        List<String> events = new CopyOnWriteArrayList<>();
        try (StatefulRedisPubSubConnection<String, String> pubsub = client.connectPubSub()) {
            pubsub.addListener(new RedisPubSubAdapter<>() {
                @Override
                public void message(String pattern, String channel, String message) {
                    events.add(message + " " + channel.substring(channel.indexOf(':') + 1).split("/")[2]);
                }
            });
            pubsub.sync().psubscribe("__keyspace@1__:traefik*");

            backend.apply(ALICE, List.of(route("web.alice.wip.test", "10.0.0.5:32768")));
            await().until(() -> events.size() == 5);
            backend.apply(ALICE, List.of());
            await().until(() -> events.size() == 10);
        }

        assertThat(events).containsExactly("set services", "set routers", "set routers", "set routers", "set routers",
                "del routers", "del routers", "del routers", "del routers", "del services");
    }

    @Test
    void withTheWakePath_eachRouteFailsOverToTheWaker_whileItsContainersFailTheirHealthCheck() {
        try (TraefikRouteBackend waking = TraefikRouteBackend.create(new TraefikConfig(redis.uri(1), "traefik",
                "websecure", "le"), new WakePath("ingress-service:9115", ""))) {
            waking.apply(ALICE, List.of(route("web.alice.wip.test", "10.0.0.5:32768")));

            String service = "traefik/http/services/wip_alice_web_alice_wip_test";
            assertThat(wholeDb(db1)).containsExactlyEntriesOf(new TreeMap<>(Map.ofEntries(
                    Map.entry("traefik/http/routers/wip_alice_web_alice_wip_test/entrypoints/0", "websecure"),
                    Map.entry("traefik/http/routers/wip_alice_web_alice_wip_test/rule", "Host(`web.alice.wip.test`)"),
                    Map.entry("traefik/http/routers/wip_alice_web_alice_wip_test/service",
                            "wip_alice_web_alice_wip_test"),
                    Map.entry("traefik/http/routers/wip_alice_web_alice_wip_test/tls/certresolver", "le"),
                    // Traefik v3 failover: the containers while their health check passes, else the waker
                    Map.entry(service + "/failover/service", "wip_alice_web_alice_wip_test__main"),
                    Map.entry(service + "/failover/fallback", "wip_alice_web_alice_wip_test__wake"),
                    Map.entry(service + "__main/loadbalancer/servers/0/url", "http://10.0.0.5:32768"),
                    Map.entry(service + "__main/loadbalancer/healthcheck/path", "/"),
                    Map.entry(service + "__main/loadbalancer/healthcheck/interval", "2s"),
                    Map.entry(service + "__main/loadbalancer/healthcheck/timeout", "1s"),
                    Map.entry(service + "__wake/loadbalancer/servers/0/url", "http://ingress-service:9115"))));
            assertThat(waking.routes(ALICE)).containsExactly(route("web.alice.wip.test", "10.0.0.5:32768"));

            // asleep: the router's service leads to the waker alone, and no failover key is left behind
            waking.apply(ALICE, List.of(route("web.alice.wip.test", "ingress-service:9115")));

            assertThat(wholeDb(db1)).containsEntry(service + "/loadbalancer/servers/0/url",
                    "http://ingress-service:9115").doesNotContainKey(service + "/failover/service")
                    .doesNotContainKey(service + "__main/loadbalancer/servers/0/url").hasSize(5);
            waking.apply(ALICE, List.of());
        }
    }
}
