package cx.wip.gateway;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import cx.wip.gateway.quota.Usage;
import cx.wip.gateway.review.Operation;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;

import static cx.wip.gateway.FakeQuotaDaemon.DB;
import static cx.wip.gateway.FakeQuotaDaemon.DB_MEMORY;
import static cx.wip.gateway.FakeQuotaDaemon.WEB;
import static cx.wip.gateway.FakeQuotaDaemon.WEB_MEMORY;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The quota step of the request path against a daemon in the JVM: what usage a create and an update carry, that one
 * tenant's changes are decided one at a time, and that an unreadable usage refuses the change before the daemon sees it.
 */
class QuotaStepTest {
    private static final String UNKNOWN = "{\"message\":\"wip: cannot check your usage right now — retry in a moment\"}";
    private static final String CREATE = "{\"Image\":\"busybox\"}";

    private final HttpClient http = HttpClient.newHttpClient();
    private final QuotaReviewer reviewer = new QuotaReviewer(FakeQuotaDaemon.LABEL, 10, 2L << 30, 64L << 20);
    private FakeQuotaDaemon daemon;
    private GatewayServer gateway;

    @BeforeEach
    void start() throws IOException {
        daemon = new FakeQuotaDaemon();
    }

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
        daemon.close();
    }

    private void gateway(String daemonAddress, String quotaWait) {
        Config config = Config.just(ConfigSources.create(Map.of("port", "0", "admin-port", "0",
                "daemon", daemonAddress, "limits.quota-wait", quotaWait, "limits.usage-timeout", "PT0.5S")));
        gateway = GatewayServer.builder().config(GatewayConfig.create(config)).reviewer(reviewer).build().start();
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + "/v1.41" + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private Optional<Usage> lastUsage() {
        List<QuotaReviewer.Seen> seen = reviewer.seen();
        return seen.get(seen.size() - 1).usage();
    }

    @Test
    void create_countsThePlatformsContainersAtTheMemoryTheDaemonEnforces() throws Exception {
        gateway(daemon.address(), "PT5S");

        assertThat(post("/containers/create", CREATE).statusCode()).isEqualTo(201);

        // the labels say 1 byte each: the inspected HostConfig.Memory counts; /other has no platform label
        assertThat(lastUsage()).contains(new Usage(2, WEB_MEMORY + DB_MEMORY));
        assertThat(daemon.requests()).containsExactly("GET /containers/json", "GET /containers/" + WEB + "/json",
                "GET /containers/" + DB + "/json", "POST /containers/create");
    }

    @Test
    void update_leavesOutTheUpdatedContainersOwnMemory_matchedAsTheDaemonMatches() throws Exception {
        gateway(daemon.address(), "PT5S");
        Map<String, Long> memoryWithout = Map.of(
                "web", DB_MEMORY, WEB, DB_MEMORY, "aaaaaaaaaaaa1", DB_MEMORY, // name, full id, unique prefix
                "db", WEB_MEMORY,
                "aaaaaaaaaaaa", WEB_MEMORY + DB_MEMORY, // ambiguous prefix: the daemon refuses it, nothing left out
                "other", WEB_MEMORY + DB_MEMORY); // not a platform container: nothing to leave out
        for (Map.Entry<String, Long> update : memoryWithout.entrySet()) {
            assertThat(post("/containers/" + update.getKey() + "/update", "{\"Memory\":1048576}").statusCode())
                    .isEqualTo(200);
            assertThat(lastUsage()).as(update.getKey()).contains(new Usage(2, update.getValue()));
            assertThat(reviewer.seen().get(reviewer.seen().size() - 1).operation())
                    .isEqualTo(Operation.CONTAINER_UPDATE);
        }
    }

    @Test
    void garbageFromTheDaemon_refusesWith503_andNothingReachesCreate() throws Exception {
        try (ServerSocket garbage = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            List<String> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
            Thread.ofVirtual().start(() -> answerAll(garbage, socket -> {
                try (socket) {
                    heard.add(new String(socket.getInputStream().readNBytes(20), StandardCharsets.ISO_8859_1));
                    socket.getOutputStream().write("SSH-2.0-OpenSSH\r\n\r\n{]".getBytes(StandardCharsets.US_ASCII));
                } catch (IOException ignored) {
                    // the gateway went away
                }
            }));
            gateway("tcp://127.0.0.1:" + garbage.getLocalPort(), "PT5S");

            assertRefused(post("/containers/create", CREATE));
            assertThat(heard).allMatch(line -> line.startsWith("GET /containers/json"));
        }
    }

    @Test
    void unreachableDaemon_refusesWith503_theUsageMessage() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        gateway("tcp://127.0.0.1:" + closed, "PT5S");

        assertRefused(post("/containers/create", CREATE));
        assertRefused(post("/containers/web/update", "{\"Memory\":1048576}"));
    }

    @Test
    void slowOrHugeUsage_refusesWith503_andNothingReachesCreate() throws Exception {
        gateway(daemon.address(), "PT5S");
        daemon.listMillis = 1500; // past usage-timeout
        long start = System.nanoTime();
        assertRefused(post("/containers/create", CREATE));
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(1400);

        daemon.listMillis = 0;
        daemon.list = "[" + " ".repeat(5 << 20) + "]"; // over the bounded list size
        assertRefused(post("/containers/create", CREATE));

        assertThat(daemon.requests()).doesNotContain("POST /containers/create");
    }

    @Test
    void oneTenantsCreates_readTheUsageOnlyAfterThePreviousCreateWasAnswered() throws Exception {
        gateway(daemon.address(), "PT10S");
        daemon.createMillis = 200;
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            List<CompletableFuture<HttpResponse<String>>> creates = new java.util.ArrayList<>();
            for (int i = 0; i < 4; i++) {
                creates.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        return post("/containers/create", CREATE);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }, clients));
            }
            assertThat(creates).allSatisfy(create -> assertThat(create.join().statusCode()).isEqualTo(201));
        }
        List<String> order = daemon.requests().stream().filter(r -> !r.endsWith("/json") || r.endsWith("s/json"))
                .toList();
        assertThat(order).containsExactly("GET /containers/json", "POST /containers/create",
                "GET /containers/json", "POST /containers/create", "GET /containers/json", "POST /containers/create",
                "GET /containers/json", "POST /containers/create");
        // the lock is let go once the exchange has ended, which may be a moment after the client read the answer
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5))
                .until(() -> gateway.quotaLockedTenants() == 0);
    }

    @Test
    void aChangeWaitingLongerThanQuotaWait_is503Retry() throws Exception {
        gateway(daemon.address(), "PT0.3S");
        daemon.createMillis = 1500;
        CompletableFuture<HttpResponse<String>> first = CompletableFuture.supplyAsync(() -> {
            try {
                return post("/containers/create", CREATE);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(300);

        HttpResponse<String> second = post("/containers/create", CREATE);

        assertThat(second.statusCode()).isEqualTo(503);
        assertThat(second.body().trim())
                .isEqualTo("{\"message\":\"wip: another change to your containers is in progress — retry\"}");
        assertThat(first.join().statusCode()).isEqualTo(201);
        // the lock is let go once the exchange has ended, which may be a moment after the client read the answer
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5))
                .until(() -> gateway.quotaLockedTenants() == 0);
    }

    private void assertRefused(HttpResponse<String> response) {
        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.body().trim()).isEqualTo(UNKNOWN);
        assertThat(reviewer.seen()).as("never reviewed, so never forwarded").isEmpty();
        // the lock is let go once the exchange has ended, which may be a moment after the client read the answer
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5))
                .until(() -> gateway.quotaLockedTenants() == 0);
    }

    private static void answerAll(ServerSocket server, Consumer<Socket> answer) {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                Thread.ofVirtual().start(() -> answer.accept(socket));
            } catch (IOException closed) {
                return;
            }
        }
    }
}
