package cx.wip.stack;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import cx.wip.proto.vm.v1.State;
import cx.wip.proto.vm.v1.TenantRecord;
import cx.wip.testing.DockerCli;
import cx.wip.testing.Run;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Wake on an HTTP hit, end to end (issue 15): the suite's processes (gateway, auth, policy, vm-service with the local
 * backend, ingress-service with its waker, Caddy). A tenant's page server falls asleep when nobody calls its API or
 * its route; first lightly (its container frozen: ingress moved the route to the waker before the freeze), later
 * deeply (engine stopped). An HTTPS request in either state is held, wakes the engine and gets the page. Prints the
 * times of those first responses as {@code BENCH} lines for {@code bench/ingress.sh}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WakeOnHitIT {
    private static final String RUN = UUID.randomUUID().toString().substring(0, 5);
    private static final Duration IDLE_AFTER = Duration.ofSeconds(3);
    private static final Duration FROZEN_FOR = Duration.ofSeconds(8);
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    Path dir;
    ReplicatedSuite suite;
    Tenant tenant;

    @BeforeAll
    void start() throws Exception {
        this.dir = Files.createDirectories(Path.of("target", "wake-on-hit-" + RUN).toAbsolutePath());
        suite = new ReplicatedSuite(dir).sleeping(new ReplicatedSuite.Sleep(IDLE_AFTER, FROZEN_FOR));
        suite.start(1, 1, 1);
        tenant = suite.createTenant("sleepy" + RUN);
    }

    @AfterAll
    void stop() {
        if (suite != null) {
            suite.close();
        }
    }

    @Test
    void aHitWakesTheEngine_fromLightSleep_andFromDeepSleep_andGetsThePage() throws Exception {
        int rounds = Integer.getInteger("ingress.bench.wake-rounds", 1);
        String host = "page." + tenant.slug() + "." + ReplicatedSuite.DOMAIN;
        DockerCli docker = tenant.client("tcp://127.0.0.1:" + suite.gateways.getFirst().port(), dir.resolve("cli"));
        docker.docker("run", "-d", "--name", "page", "-p", "80", "--label", "com.wip.http=page:80",
                      "wip-test/busybox:latest", "sh", "-c",
                      "mkdir -p /www && echo page-of-sleepy > /www/index.html && exec httpd -f -p 80 -h /www")
                .timeout(Duration.ofMinutes(2)).call().expectSuccess();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                .until(() -> get(host).page(), "page-of-sleepy\n"::equals);

        List<Hit> light = new ArrayList<>();
        List<Hit> deep = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                    .until(() -> summary().contains("frozen (light sleep"));
            assertThat(upstreams(host)).as("the route leads to the waker before the app froze")
                    .containsExactly("127.0.0.1:" + suite.wakePort());
            light.add(get(host));
            assertThat(light.getLast().page()).isEqualTo("page-of-sleepy\n");
            assertThat(record().getState()).isEqualTo(State.STATE_RUNNING);
            assertThat(record().getBoots()).as("a thaw, not a boot").isEqualTo(1 + round);

            long dockerd = suite.dockerdPid(tenant.id());
            await().atMost(IDLE_AFTER.plus(FROZEN_FOR).plusSeconds(60)).pollInterval(Duration.ofMillis(100))
                    .until(() -> summary().contains("to start again (the engine stopped)")
                                 && ProcessHandle.of(dockerd).filter(ProcessHandle::isAlive).isEmpty());
            deep.add(get(host));
            assertThat(deep.getLast().page()).isEqualTo("page-of-sleepy\n");
            assertThat(record().getBoots()).as("a boot").isEqualTo(2 + round);
        }
        light.forEach(hit -> System.out.println("BENCH wake-light-first-https-response-ms " + hit.millis()));
        deep.forEach(hit -> System.out.println("BENCH wake-deep-first-https-response-ms " + hit.millis()));
    }

    /** What one HTTPS GET got, and how long it took. */
    private record Hit(String page, long millis) {
    }

    /** {@code GET https://HOST/} with curl through Caddy, verified against Caddy's root; a non-200 fails the test. */
    private Hit get(String host) {
        Run.Result result = Run.of("curl", "-sS", "--max-time", "30", "--resolve",
                                   host + ":" + suite.https() + ":127.0.0.1", "--cacert", suite.caddyRoot().toString(),
                                   "-w", "\n%{http_code} %{time_total}", "https://" + host + ":" + suite.https() + "/")
                .timeout(Duration.ofSeconds(40)).call();
        String out = result.out();
        int last = out.lastIndexOf('\n');
        String[] status = out.substring(last + 1).trim().split(" ");
        assertThat(status[0]).as("HTTP status of %s (%s)", host, out).isEqualTo("200");
        return new Hit(out.substring(0, last), Math.round(Double.parseDouble(status[1]) * 1000));
    }

    private TenantRecord record() {
        return suite.status(suite.vms.getFirst().port(), tenant.id());
    }

    private String summary() {
        return record().getWakefulness().getSummary();
    }

    /** The upstreams Caddy's route for {@code host} dials now. */
    private List<String> upstreams(String host) throws Exception {
        String body = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + suite.caddyAdmin()
                                                                  + "/config/apps/http/servers/wip/routes")).build(),
                                HttpResponse.BodyHandlers.ofString()).body();
        for (JsonNode route : JSON.readTree(body)) {
            for (JsonNode match : route.path("match")) {
                for (JsonNode matched : match.path("host")) {
                    if (matched.asText().equals(host)) {
                        return route.findValuesAsText("dial");
                    }
                }
            }
        }
        return List.of();
    }
}
