package cx.wip.ingress.wake;

import cx.wip.ingress.IngressFixture;
import cx.wip.ingress.TenantKey;
import cx.wip.ingress.fixtures.Curl;
import cx.wip.ingress.fixtures.Docker;
import cx.wip.ingress.fixtures.FreePort;
import cx.wip.ingress.fixtures.TinyHttp;
import cx.wip.proto.ingress.v1.Container;
import cx.wip.proto.ingress.v1.ContainerChangedRequest;
import cx.wip.proto.ingress.v1.EngineSleepsRequest;
import cx.wip.proto.ingress.v1.ListRoutesRequest;
import cx.wip.proto.ingress.v1.SyncRoutesRequest;
import cx.wip.proto.ingress.v1.Tenant;
import cx.wip.proto.vm.v1.State;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Engines that sleep with running apps, seen from the internet: a whole ingress-service (its own Redis and Caddy, the
 * host dockerd as every tenant's daemon) whose vm-service is {@link StubVmService} — a small in-test gRPC vm-service
 * whose EnsureEndpoint really {@code docker start}s the containers of a sleeping tenant (vm-service itself is tested in
 * its own module). A tenant's container serves HTTP (busybox httpd, a CGI echoing POST bodies) on a fixed published
 * port; "falling asleep" is what vm-service does: the record says ASLEEP, then the container stops.
 */
class WakeIT {
    @TempDir
    static Path dir;
    static IngressFixture fixture;
    static StubVmService vm;
    static int wakerPort;
    static final String RUN = UUID.randomUUID().toString().substring(0, 6);
    static final AtomicInteger TENANTS = new AtomicInteger();
    final List<String> containers = new ArrayList<>();

    @BeforeAll
    static void start() {
        vm = new StubVmService();
        wakerPort = FreePort.next();
        int hitsPort = FreePort.next();
        fixture = new IngressFixture(dir, Map.of("ingress.vm.address", vm.address(),
                "ingress.vm.report-interval", "PT1S",
                "ingress.wake.port", String.valueOf(wakerPort),
                "ingress.wake.upstream", "127.0.0.1:" + wakerPort,
                "ingress.hits.port", String.valueOf(hitsPort),
                "ingress.hits.address", "127.0.0.1:" + hitsPort,
                "ingress.hits.file", dir.resolve("traefik-access.json").toString()));
    }

    @AfterAll
    static void stop() {
        if (fixture != null) {
            fixture.close();
        }
        if (vm != null) {
            vm.close();
        }
    }

    @AfterEach
    void removeContainers() {
        vm.failing.set(false);
        containers.forEach(id -> Docker.exec(List.of("/usr/local/bin/docker", "rm", "-f", id), null, Map.of(), false));
    }

    /** A tenant with one running app routed at web.SLUG.wip.test; its engine is awake. */
    record App(Tenant tenant, String host, String container) {
    }

    App app() {
        String slug = "w" + RUN + TENANTS.incrementAndGet();
        Tenant tenant = IngressFixture.tenant(slug, slug);
        String id = Docker.run("run", "-d", "--name", "wipwake-" + slug, "-p", "127.0.0.1:" + FreePort.next() + ":80",
                "--label", "com.wip.http=web:80", Docker.IMAGE, "sh", "-c", "mkdir -p /www/cgi-bin && echo page-"
                        + slug + " > /www/index.html && printf '#!/bin/sh\\necho Content-Type: text/plain\\necho\\n"
                        + "echo method=$REQUEST_METHOD host=$HTTP_HOST\\nhead -c $CONTENT_LENGTH\\n' "
                        + "> /www/cgi-bin/echo && chmod +x /www/cgi-bin/echo && exec httpd -f -p 80 -h /www");
        containers.add(id);
        vm.states.put(tenant.getId(), State.STATE_RUNNING);
        fixture.ingress().containerChanged(ContainerChangedRequest.newBuilder().setTenant(tenant).setContainerId(id)
                .setAction("start").build());
        App app = new App(tenant, "web." + slug + "." + IngressFixture.BASE_DOMAIN, id);
        await().atMost(Duration.ofSeconds(10)).until(() -> get(app).status() == 200);
        return app;
    }

    /** What vm-service does to put an engine to sleep: record ASLEEP first, then stop what ran. */
    void fallAsleep(App app) {
        vm.sleeps(app.tenant().getId(), app.container());
        Docker.run("stop", "-t", "1", app.container());
        await().atMost(Duration.ofSeconds(10)).until(() -> caddyUpstreams(app).equals(List.of("127.0.0.1:" + wakerPort)));
    }

    Curl.Reply get(App app) {
        return Curl.send(app.host(), fixture.caddy().httpsPort(), fixture.caddy().rootCertificate(), "/",
                List.of("--max-time", "30"));
    }

    Curl.Reply post(App app, String body) {
        return Curl.send(app.host(), fixture.caddy().httpsPort(), fixture.caddy().rootCertificate(),
                "/cgi-bin/echo?q=1", List.of("--max-time", "30", "--data-binary", body));
    }

    static List<String> caddyUpstreams(App app) throws Exception {
        HttpResponse<String> route = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                fixture.caddy().admin() + "/id/" + TenantKey.of(app.tenant().getId()).routeName(app.host()))).build(),
                HttpResponse.BodyHandlers.ofString());
        List<String> dials = new ArrayList<>();
        if (route.statusCode() == 200) {
            for (JsonNode upstream : new ObjectMapper().readTree(route.body()).path("handle").path(0).path("upstreams")) {
                dials.add(upstream.path("dial").asText());
            }
        }
        return dials;
    }

    @Test
    void awakeRoute_hasTheWakerAsFallbackUpstream() throws Exception {
        App app = app();

        List<String> upstreams = caddyUpstreams(app);

        assertThat(upstreams).hasSize(2).endsWith("127.0.0.1:" + wakerPort);
    }

    @Test
    void routesOfAnAsleepTenant_areKept_whenItsContainersDie_andLeadToTheWaker() {
        App app = app();

        fallAsleep(app);

        assertThat(fixture.ingress().listRoutes(ListRoutesRequest.newBuilder().setTenant(app.tenant()).build())
                .getRoutesList()).singleElement().satisfies(route -> assertThat(route.getHost()).isEqualTo(app.host()));
    }

    @Test
    void frozenApp_leadsToTheWakerOnly_acrossSyncs_andAHitWakesItBeforeDialling() throws Exception {
        App app = app();
        // what vm-service does for a light sleep: record ASLEEP, have ingress move the routes, then freeze
        vm.sleeps(app.tenant().getId(), app.container());
        vm.frozen.add(app.tenant().getId());
        int moved = fixture.ingress().engineSleeps(EngineSleepsRequest.newBuilder()
                .setTenantId(app.tenant().getId()).build()).getRoutes();
        assertThat(moved).isEqualTo(1);
        assertThat(caddyUpstreams(app)).containsExactly("127.0.0.1:" + wakerPort);
        Docker.run("pause", app.container());
        // a sync sees the container running (frozen, as far as its daemon knows): the route stays on the waker
        fixture.ingress().containerChanged(ContainerChangedRequest.newBuilder().setTenant(app.tenant())
                .setContainerId(app.container()).setAction("start").build());
        assertThat(caddyUpstreams(app)).containsExactly("127.0.0.1:" + wakerPort);
        int ensures = vm.ensures.get();

        Curl.Reply reply = get(app);

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body()).isEqualTo("page-" + app.tenant().getSlug() + "\n");
        assertThat(vm.ensures.get() - ensures).isEqualTo(1);
        await().atMost(Duration.ofSeconds(10)).until(() -> caddyUpstreams(app).size() == 2);
    }

    @Test
    void containerStoppedWhileAwake_losesItsRoute() {
        App app = app();

        Docker.run("stop", "-t", "1", app.container());

        await().atMost(Duration.ofSeconds(10)).until(() -> get(app).status() == 404);
        assertThat(vm.ensures.get()).as("an awake engine is not woken").isZero();
    }

    @Test
    void heldGet_wakesTheEngine_andGetsTheRealAnswer() throws Exception {
        App app = app();
        fallAsleep(app);
        int ensures = vm.ensures.get();
        long waits = WakeMetrics.waits();

        long start = System.nanoTime();
        Curl.Reply reply = get(app);
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body()).isEqualTo("page-" + app.tenant().getSlug() + "\n");
        assertThat(vm.ensures.get() - ensures).isEqualTo(1);
        assertThat(WakeMetrics.waits()).isEqualTo(waits + 1);
        System.out.println("first response after sleep: " + took.toMillis() + " ms, of which EnsureEndpoint (docker "
                + "start of the app): " + vm.lastEnsureMillis + " ms");
        String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://"
                + fixture.grpcAddress() + "/observe/metrics")).header("Accept", "text/plain").build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertThat(metrics).contains("wip_ingress_wakes_total").contains("wip_ingress_held_requests_total")
                .contains("wip_ingress_wake_wait_seconds");
        await().atMost(Duration.ofSeconds(10)).until(() -> caddyUpstreams(app).size() == 2);
    }

    @Test
    void heldPost_keepsItsBody_methodPathAndHost() {
        App app = app();
        fallAsleep(app);

        Curl.Reply reply = post(app, "hello=world&x=" + "y".repeat(100_000));

        assertThat(reply.status()).isEqualTo(200);
        String head = "method=POST host=" + app.host() + ":" + fixture.caddy().httpsPort() + "\n";
        assertThat(reply.body()).startsWith(head + "hello=world&x=yyy")
                .hasSize(head.length() + "hello=world&x=".length() + 100_000);
    }

    @Test
    void concurrentHits_shareOneWake() throws Exception {
        App app = app();
        fallAsleep(app);
        int ensures = vm.ensures.get();

        ExecutorService clients = Executors.newFixedThreadPool(6);
        try {
            List<Future<Curl.Reply>> replies = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                int n = i;
                replies.add(clients.submit(() -> n % 2 == 0 ? get(app) : post(app, "n=" + n)));
            }
            for (Future<Curl.Reply> reply : replies) {
                assertThat(reply.get().status()).isEqualTo(200);
            }
        } finally {
            clients.shutdownNow();
        }
        assertThat(vm.ensures.get() - ensures).isEqualTo(1);
    }

    @Test
    void vmServiceFailing_answersAClear503_andTheNextHitWakes() {
        App app = app();
        fallAsleep(app);
        vm.failing.set(true);

        Curl.Reply refused = get(app);

        assertThat(refused.status()).isEqualTo(503);
        assertThat(refused.body()).isEqualTo("wip: " + app.host() + " is asleep and could not be woken just now; "
                + "retry in a moment\n");
        vm.failing.set(false);
        vm.states.put(app.tenant().getId(), State.STATE_ASLEEP);
        assertThat(get(app).status()).isEqualTo(200);
    }

    @Test
    void aWakeThatFailedHalfWay_isTriedAgainByTheNextHit() {
        App app = app();
        fallAsleep(app);
        // vm-service keeps the containers to start in the record of a wake that failed (FAILED)
        vm.states.put(app.tenant().getId(), State.STATE_FAILED);

        assertThat(get(app).status()).isEqualTo(200);
    }

    @Test
    void stoppedTenant_isNotWokenByHits() {
        App app = app();
        fallAsleep(app);
        vm.states.put(app.tenant().getId(), State.STATE_STOPPED);
        int ensures = vm.ensures.get();

        Curl.Reply refused = get(app);

        assertThat(refused.status()).isEqualTo(503);
        assertThat(refused.body()).isEqualTo("wip: " + app.host() + " is not running\n");
        assertThat(vm.ensures.get()).isEqualTo(ensures);
    }

    @Test
    void unknownHost_isRefusedByTheWaker() throws Exception {
        assertThat(raw("GET / HTTP/1.1\r\nHost: nobody." + RUN + ".wip.test\r\n\r\n"))
                .startsWith("HTTP/1.1 404 ").endsWith("wip: no route for nobody." + RUN + ".wip.test\n");
    }

    @Test
    void craftedRequests_cannotPointTheWakerElsewhere() throws Exception {
        App app = app();
        fallAsleep(app);
        AtomicInteger canaryHits = new AtomicInteger();
        try (TinyHttp canary = TinyHttp.start(query -> {
            canaryHits.incrementAndGet();
            return new TinyHttp.Answer(200, "canary");
        })) {
            String elsewhere = canary.address();
            int ensures = vm.ensures.get();

            assertThat(raw("GET / HTTP/1.1\r\nHost: " + elsewhere + "\r\n\r\n")).startsWith("HTTP/1.1 404 ");
            assertThat(raw("GET / HTTP/1.1\r\nHost: localhost:" + elsewhere.substring(elsewhere.indexOf(':') + 1)
                    + "\r\n\r\n")).startsWith("HTTP/1.1 404 ");
            assertThat(raw("GET http://" + elsewhere + "/ HTTP/1.1\r\nHost: " + app.host() + "\r\n\r\n"))
                    .startsWith("HTTP/1.1 400 ");
            assertThat(raw("GET / HTTP/1.1\r\nHost: " + app.host() + "@" + elsewhere + "\r\n\r\n"))
                    .startsWith("HTTP/1.1 400 ");
            assertThat(raw("GET / HTTP/1.1\r\nHost: " + app.host() + "\r\nHost: " + elsewhere + "\r\n\r\n"))
                    .startsWith("HTTP/1.1 400 ");
            assertThat(canaryHits).hasValue(0);
            assertThat(vm.ensures.get()).isEqualTo(ensures);
        }
    }

    @Test
    void hitsOnRoutes_areReportedToVmService() {
        App app = app();

        for (int i = 0; i < 5; i++) {
            assertThat(get(app).status()).isEqualTo(200);
        }

        await().atMost(Duration.ofSeconds(10)).until(() -> vm.httpReports.stream()
                .anyMatch(report -> report.contains(app.tenant().getId())));
    }

    @Test
    void traefikAccessLogLines_areReportedToo() throws Exception {
        String slug = "t" + RUN;
        Tenant tenant = IngressFixture.tenant(slug, slug);
        try (TinyHttp app = TinyHttp.start(query -> new TinyHttp.Answer(200, "traefik"))) {
            int port = Integer.parseInt(app.address().substring(app.address().indexOf(':') + 1));
            fixture.ingress().syncRoutes(SyncRoutesRequest.newBuilder().setTenant(tenant).addContainers(
                    Container.newBuilder().setId("traefik-" + RUN).setName("traefik").setRunning(true)
                            .putLabels("com.wip.http", "web:8080").putPublishedPorts(8080, port)).build());

            // Traefik's JSON access log (accessLog.format: json, filePath on a volume ingress-service reads)
            Files.writeString(dir.resolve("traefik-access.json"), "{\"ClientHost\":\"203.0.113.7\",\"RequestHost\":\"web."
                    + slug + ".wip.test:443\",\"RequestMethod\":\"GET\",\"DownstreamStatus\":200}\n",
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);

            await().atMost(Duration.ofSeconds(10)).until(() -> vm.httpReports.stream()
                    .anyMatch(report -> report.contains(slug)));
            fixture.ingress().syncRoutes(SyncRoutesRequest.newBuilder().setTenant(tenant).build());
        }
    }

    @Test
    void relayThroughTheWaker_costsLittle_whenTheAppIsUp() throws Exception {
        App app = app();
        int port = Integer.parseInt(Docker.run("port", app.container(), "80/tcp").replaceAll(".*:", "").strip());
        String request = "GET / HTTP/1.1\r\nHost: " + app.host() + "\r\nConnection: close\r\n\r\n";

        long[] direct = new long[100];
        long[] relayed = new long[100];
        for (int i = 0; i < 100; i++) {
            long start = System.nanoTime();
            assertThat(raw(port, request)).startsWith("HTTP/1.");
            direct[i] = System.nanoTime() - start;
            start = System.nanoTime();
            assertThat(raw(wakerPort, request)).startsWith("HTTP/1.").contains("page-" + app.tenant().getSlug());
            relayed[i] = System.nanoTime() - start;
        }
        java.util.Arrays.sort(direct);
        java.util.Arrays.sort(relayed);
        System.out.printf("GET straight to the app: p50 %.2f ms, p90 %.2f ms; through the waker: p50 %.2f ms, "
                + "p90 %.2f ms%n", direct[50] / 1e6, direct[90] / 1e6, relayed[50] / 1e6, relayed[90] / 1e6);
        assertThat(relayed[50] - direct[50]).as("relay overhead, ns").isLessThan(50_000_000L);
    }

    /** One request straight to the waker, as only the route backend should send it; the whole answer. */
    static String raw(String request) throws Exception {
        return raw(wakerPort, request);
    }

    static String raw(int port, String request) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
