package cx.wip.gateway;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import cx.wip.docker.DaemonAddress;
import cx.wip.gateway.review.Operation;

import static cx.wip.testing.DockerCli.BUSYBOX;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Quotas against the host's real dockerd through an in-process gateway whose reviewer applies a 10-container, 2 GiB
 * quota from the usage the gateway read (as policy-service does). Only this run's containers count and are removed:
 * they carry a label and a name prefix of their own.
 */
class QuotaIT {
    private static final String RUN = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    private static final String LABEL = "cx.wip.it.quota-" + RUN;
    private static final String PREFIX = "wip-quota-it-" + RUN + "-";
    private static final QuotaReviewer REVIEWER = new QuotaReviewer(LABEL, 10, 2L << 30, 64L << 20);
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static GatewayFixture gateway;

    @BeforeAll
    static void start() throws Exception {
        gateway = new GatewayFixture(DaemonAddress.parse(GatewayFixture.HOST_DAEMON), Optional.empty(), REVIEWER);
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    @AfterEach
    void removeThisRunsContainers() {
        for (String id : ours()) {
            gateway.direct().docker("rm", "-f", id).call();
        }
    }

    private static List<String> ours() {
        String ids = gateway.direct().docker("ps", "-aq", "--filter", "label=" + LABEL).call().expectSuccess().out();
        return ids.isBlank() ? List.of() : List.of(ids.trim().split("\\s+"));
    }

    private static HttpResponse<String> post(String path, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.server().port() + "/v1.41"
                        + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> create(String name, long memory) throws Exception {
        return post("/containers/create?name=" + PREFIX + name, "{\"Image\":\"" + BUSYBOX + "\",\"Cmd\":[\"true\"],"
                + "\"HostConfig\":{\"Memory\":" + memory + "}}");
    }

    @Test
    void thirtyParallelCreates_onAQuotaOfTen_leaveExactlyTen() throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        List<Future<HttpResponse<String>>> creates = new ArrayList<>();
        long start;
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 30; i++) {
                String name = "p" + i;
                creates.add(clients.submit(() -> {
                    go.await();
                    return create(name, 64L << 20);
                }));
            }
            start = System.nanoTime();
            go.countDown();
        }
        long allMillis = (System.nanoTime() - start) / 1_000_000;
        List<Integer> statuses = new ArrayList<>();
        for (Future<HttpResponse<String>> create : creates) {
            HttpResponse<String> response = create.get();
            statuses.add(response.statusCode());
            if (response.statusCode() != 201) {
                assertThat(response.body()).contains(QuotaReviewer.QUOTA + " containers");
            }
        }

        assertThat(statuses.stream().filter(s -> s == 201).count()).isEqualTo(10);
        assertThat(ours()).hasSize(10);
        assertThat(gateway.server().quotaLockedTenants()).isZero();
        System.out.printf("QuotaIT: 30 parallel creates decided in %d ms%n", allMillis);

        // with 10 containers, a refused create is the usage read (list + 10 inspects) plus a review
        long refused = System.nanoTime();
        for (int i = 0; i < 5; i++) {
            assertThat(create("late" + i, 64L << 20).statusCode()).isEqualTo(403);
        }
        System.out.printf("QuotaIT: a refused create over 10 containers takes %.1f ms%n",
                (System.nanoTime() - refused) / 5e6);
    }

    @Test
    void memoryRaisedByUpdate_countsAtTheNextCreate() throws Exception {
        assertThat(create("m1", 512L << 20).statusCode()).isEqualTo(201);
        assertThat(create("m2", 512L << 20).statusCode()).isEqualTo(201);

        // 512 MiB (m2) + 1.5 GiB = 2 GiB: allowed, because m1's own 512 MiB is left out of the usage
        HttpResponse<String> update = post("/containers/" + PREFIX + "m1/update",
                "{\"Memory\":" + (1536L << 20) + ",\"MemorySwap\":-1}");
        assertThat(update.statusCode()).as(update.body()).isEqualTo(200);
        QuotaReviewer.Seen seen = REVIEWER.seen().get(REVIEWER.seen().size() - 1);
        assertThat(seen.operation()).isEqualTo(Operation.CONTAINER_UPDATE);
        assertThat(seen.usage()).contains(new cx.wip.gateway.quota.Usage(2, 512L << 20));

        // the labels still say 512 MiB each; the daemon enforces 2 GiB in all now
        HttpResponse<String> third = create("m3", 64L << 20);
        assertThat(third.statusCode()).isEqualTo(403);
        assertThat(third.body()).contains(QuotaReviewer.QUOTA + " memory");
        assertThat(ours()).hasSize(2);
    }
}
