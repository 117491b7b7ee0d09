package cx.wip.stack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import cx.wip.proto.vm.v1.State;
import cx.wip.stack.ReplicatedSuite.Replica;
import cx.wip.testing.DockerCli;
import cx.wip.testing.Run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Scale-out: 3 gateways, 2 vm-services and 2 ingress-services on one Redis, as processes from the built jars. Many
 * first requests spread over the gateways boot each tenant once; the public routes are the same whichever replica
 * synced them and answer over HTTPS through Caddy; killing any one replica (each kind in turn, SIGKILL) in the middle
 * of API and HTTPS traffic loses no tenant state and no route.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ScaleOutIT {
    private static final String RUN = UUID.randomUUID().toString().substring(0, 5);
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    Path dir;
    ReplicatedSuite suite;
    Tenant alice;
    Tenant bob;

    @BeforeAll
    void start() throws IOException {
        // logs stay in target/ for the CI artifacts and for reading after a failure
        this.dir = Files.createDirectories(Path.of("target", "scale-out-" + RUN).toAbsolutePath());
        suite = new ReplicatedSuite(dir);
        suite.start(3, 2, 2);
        alice = suite.createTenant("alice" + RUN);
        bob = suite.createTenant("bob" + RUN);
    }

    @AfterAll
    void stop() {
        if (suite != null) {
            suite.close();
        }
    }

    @Test
    @Order(1)
    void manyFirstRequests_spreadOverThreeGateways_bootEachTenantOnce() throws Exception {
        List<Callable<Integer>> requests = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            for (Tenant tenant : List.of(alice, bob)) {
                Replica gateway = suite.gateways.get(i % suite.gateways.size());
                requests.add(() -> list(gateway, tenant));
            }
        }

        List<Integer> statuses = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Future<Integer> status : pool.invokeAll(requests)) {
                statuses.add(status.get());
            }
        }

        assertThat(statuses).hasSize(40).containsOnly(200);
        for (Tenant tenant : List.of(alice, bob)) {
            for (Replica vm : suite.vms) {
                var record = suite.status(vm.port(), tenant.id());
                assertThat(record.getBoots()).as(tenant.slug() + " via vm on " + vm.port()).isEqualTo(1);
                assertThat(record.getState()).isEqualTo(State.STATE_RUNNING);
            }
        }
    }

    @Test
    @Order(2)
    void routes_areTheSameWhicheverReplicaSyncedThem_andAnswerOverHttps() throws Exception {
        run(alice, suite.gateways.get(0), "web");
        run(alice, suite.gateways.get(1), "api");
        run(bob, suite.gateways.get(2), "web");

        Set<String> expected = pages().keySet();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300))
                .until(() -> caddyHosts().containsAll(expected));
        Set<String> routes = caddyHosts();

        // both ingress replicas reconcile every 2 s: nothing flaps, nothing is added or lost
        await().during(Duration.ofSeconds(6)).atMost(Duration.ofSeconds(8)).pollInterval(Duration.ofMillis(500))
                .until(() -> caddyHosts().equals(routes));
        // each replica's own view (Caddy's on-demand TLS question): the same hosts are routed, nothing else is
        for (int replica = 0; replica < suite.ingresses.size(); replica++) {
            for (String host : expected) {
                assertThat(ask(replica, host)).as(host + " asked of ingress " + (replica + 1)).isEqualTo(200);
            }
            assertThat(ask(replica, host("nothing", alice))).isEqualTo(404);
        }
        // and the public side: each route serves its own container's page over HTTPS (certificate from Caddy's CA)
        for (var route : pages().entrySet()) {
            String page = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                    .until(() -> curl(suite, route.getKey()).out(), route.getValue()::equals);
            assertThat(page).isEqualTo(route.getValue());
        }
    }

    /**
     * Each replica kind in turn is killed with SIGKILL while API and HTTPS traffic runs. Asserted: no API request
     * fails after its one retry on another gateway; first attempts fail only on the killed gateway (its open
     * connections), at most once per client; no HTTPS request to a route fails at any time; afterwards every tenant
     * lists its containers with {@code docker ps} through every surviving gateway, boots are still 1, the route set
     * is unchanged, and the survivors still boot a new tenant once and add and remove routes (with certificates).
     */
    @Test
    @Order(3)
    void killingAnyOneReplicaMidTraffic_losesNoTenantStateOrRoute() throws Exception {
        Set<String> routes = caddyHosts();
        List<Replica> victims = List.of(suite.vms.get(0), suite.ingresses.get(0), suite.gateways.get(0));
        try (Traffic traffic = Traffic.start(suite, List.of(alice, bob), pages())) {
            Traffic.Window before = traffic.observe(Duration.ZERO, Duration.ofSeconds(3));
            assertThat(before.apiFailures() + before.httpsFailures()).as(before.lastFailure()).isZero();
            for (Replica victim : victims) {
                victim.process().kill();

                Traffic.Window after = traffic.observe(Duration.ofSeconds(1), Duration.ofSeconds(4));

                System.out.println("SCALE after killing " + victim.process().name() + ": " + after
                                   + "; failed first attempts " + traffic.failedAttempts());
                assertThat(after.apiRequests()).isPositive();
                assertThat(after.httpsRequests()).isPositive();
            }
            Traffic.Window total = traffic.total();
            System.out.println("SCALE whole run: " + total + "; failed first attempts " + traffic.failedAttempts());
            assertThat(total.apiFailures()).as("API requests failed after a retry: " + total.lastFailure()).isZero();
            assertThat(total.httpsFailures()).as("HTTPS requests failed: " + total.lastFailure()).isZero();
            assertThat(traffic.failedAttempts()).as("failed first attempts by gateway")
                    .containsOnlyKeys(suite.gateways.get(0).process().name()).allSatisfy((gateway, count) ->
                            assertThat(count).isLessThanOrEqualTo(2));
        }

        List<Replica> survivors = suite.gateways.subList(1, suite.gateways.size());
        for (Tenant tenant : List.of(alice, bob)) {
            var record = suite.status(suite.vmBalancer(), tenant.id());
            assertThat(record.getBoots()).as(tenant.slug()).isEqualTo(1);
            assertThat(record.getState()).isEqualTo(State.STATE_RUNNING);
            for (Replica gateway : survivors) {
                assertThat(ps(tenant, gateway)).as(tenant.slug() + " via " + gateway.process().name())
                        .isEqualTo(tenant == alice ? Set.of("web", "api") : Set.of("web"));
            }
        }
        assertThat(caddyHosts()).isEqualTo(routes);

        // the surviving vm-service boots a new tenant, once
        Tenant carol = suite.createTenant("carol" + RUN);
        assertThat(list(survivors.get(0), carol)).isEqualTo(200);
        assertThat(suite.status(suite.vmBalancer(), carol.id()).getBoots()).isEqualTo(1);

        // the surviving ingress-service adds a route (its certificate approved by the survivor) and removes one
        run(bob, survivors.get(0), "late");
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .until(() -> curl(suite, host("late", bob)).out(), "page-of-late\n"::equals);
        DockerCli docker = bob.client("tcp://127.0.0.1:" + survivors.get(1).port(), dir.resolve("bob-rm"));
        docker.docker("rm", "-f", "web").timeout(Duration.ofMinutes(1)).call().expectSuccess();
        await().atMost(Duration.ofSeconds(30)).until(() -> !caddyHosts().contains(host("web", bob)));
        assertThat(curl(suite, host("web", bob)).out()).isEqualTo("no route\n");
    }

    /** The routes the test deploys: public host → the page its container serves. */
    private Map<String, String> pages() {
        Map<String, String> pages = new TreeMap<>();
        pages.put(host("web", alice), "page-of-web\n");
        pages.put(host("api", alice), "page-of-api\n");
        pages.put(host("web", bob), "page-of-web\n");
        return pages;
    }

    static String host(String name, Tenant tenant) {
        return name + "." + tenant.slug() + "." + ReplicatedSuite.DOMAIN;
    }

    /** {@code GET /containers/json} through one gateway with the tenant's token: the status code. */
    static int list(Replica gateway, Tenant tenant) throws Exception {
        HttpResponse<String> reply = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port()
                                                           + "/v1.41/containers/json"))
                                 .header("Authorization", "Bearer " + tenant.token())
                                 .timeout(Duration.ofSeconds(120)).build(),
                         HttpResponse.BodyHandlers.ofString());
        if (reply.statusCode() != 200) {
            System.out.println("SCALE " + gateway.process().name() + " " + tenant.slug() + ": " + reply.statusCode()
                               + " " + reply.body());
        }
        return reply.statusCode();
    }

    /** {@code GET https://HOST/} through Caddy with curl, resolved to loopback, verified against Caddy's root. */
    static Run.Result curl(ReplicatedSuite suite, String host) {
        return Run.of("curl", "-sS", "--max-time", "5", "--resolve", host + ":" + suite.https() + ":127.0.0.1",
                      "--cacert", suite.caddyRoot().toString(), "https://" + host + ":" + suite.https() + "/")
                .timeout(Duration.ofSeconds(10)).call();
    }

    /** Ingress replica {@code index}'s answer to Caddy's question "may HOST get a certificate?". */
    private int ask(int index, String host) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + suite.askPort(index)
                                                           + "/ask?domain=" + host)).build(),
                         HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** The names of the tenant's running containers, as {@code docker ps} through one gateway lists them. */
    private Set<String> ps(Tenant tenant, Replica gateway) {
        DockerCli docker = tenant.client("tcp://127.0.0.1:" + gateway.port(),
                                         dir.resolve(tenant.slug() + "-ps-" + gateway.process().name()));
        String out = docker.docker("ps", "--format", "{{.Names}}").timeout(Duration.ofMinutes(1)).call()
                .expectSuccess().out();
        return new TreeSet<>(out.lines().map(String::trim).filter(line -> !line.isEmpty()).toList());
    }

    /** {@code docker run -d --name NAME} a labelled busybox page server through one gateway. */
    private void run(Tenant tenant, Replica gateway, String name) {
        DockerCli docker = tenant.client("tcp://127.0.0.1:" + gateway.port(), dir.resolve(tenant.slug() + "-" + name));
        docker.docker("run", "-d", "--name", name, "-p", "80", "--label", "com.wip.http=" + name + ":80",
                      "wip-test/busybox:latest", "sh", "-c",
                      "mkdir -p /www && echo page-of-" + name + " > /www/index.html && exec httpd -f -p 80 -h /www")
                .timeout(Duration.ofMinutes(2)).call().expectSuccess();
    }

    /** The hosts of Caddy's routes, as its admin API shows them. */
    Set<String> caddyHosts() throws Exception {
        String body = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + suite.caddyAdmin()
                                                                  + "/config/apps/http/servers/wip/routes")).build(),
                                HttpResponse.BodyHandlers.ofString()).body();
        Set<String> hosts = new TreeSet<>();
        for (JsonNode route : JSON.readTree(body)) {
            for (JsonNode match : route.path("match")) {
                match.path("host").forEach(host -> hosts.add(host.asText()));
            }
        }
        return hosts;
    }
}
