package cx.wip.ingress.caddy;

import cx.wip.ingress.RouteBackend;
import cx.wip.ingress.RouteBackendContract;
import cx.wip.ingress.WakePath;
import cx.wip.ingress.fixtures.CaddyProcess;
import cx.wip.ingress.fixtures.Curl;
import cx.wip.ingress.fixtures.TinyHttp;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The route contract against Debian's real caddy 2.6, plus real HTTPS through it with on-demand certificates. */
class CaddyRouteBackendIT extends RouteBackendContract {
    @TempDir
    static Path dir;
    static CaddyProcess caddy;
    static TinyHttp ask;
    static TinyHttp app;

    @BeforeAll
    static void startCaddy() {
        caddy = CaddyProcess.start(dir);
        // the ask endpoint stand-in: only hosts under alice.wip.test get certificates
        ask = TinyHttp.start(query -> query != null && query.endsWith(".alice.wip.test")
                ? new TinyHttp.Answer(200, "") : new TinyHttp.Answer(404, ""));
        app = TinyHttp.start(query -> new TinyHttp.Answer(200, "hello from the app\n"));
    }

    @AfterAll
    static void stopCaddy() {
        caddy.close();
        if (ask != null) {
            ask.close();
        }
        if (app != null) {
            app.close();
        }
    }

    static CaddyConfig config() {
        return new CaddyConfig(caddy.admin(), "wip", caddy.listen(), "internal", "",
                "http://" + ask.address() + "/ask", false);
    }

    @Override
    protected RouteBackend newBackend() {
        return CaddyRouteBackend.create(config());
    }

    @Test
    void routedHost_servesTheUpstreamOverHttps() {
        backend.apply(ALICE, List.of(route("web.alice.wip.test", app.address())));

        Curl.Reply reply = Curl.get("web.alice.wip.test", caddy.httpsPort(), caddy.rootCertificate());

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body()).isEqualTo("hello from the app\n");
    }

    @Test
    void removedRoute_answers404() {
        backend.apply(ALICE, List.of(route("gone.alice.wip.test", app.address())));
        assertThat(Curl.get("gone.alice.wip.test", caddy.httpsPort(), caddy.rootCertificate()).status()).isEqualTo(200);

        backend.apply(ALICE, List.of());

        assertThat(Curl.get("gone.alice.wip.test", caddy.httpsPort(), caddy.rootCertificate()).status()).isEqualTo(404);
    }

    @Test
    void hostTheAskEndpointRefuses_getsNoCertificate() {
        backend.apply(BOB, List.of(route("web.bob.wip.test", app.address())));
        backend.apply(ALICE, List.of(route("web.alice.wip.test", app.address())));

        Curl.Reply reply = Curl.get("web.bob.wip.test", caddy.httpsPort(), caddy.rootCertificate());

        assertThat(reply.status()).isZero();
        assertThat(reply.exit()).as("curl exit code: TLS handshake failed").isEqualTo(35);
    }

    @Test
    void caddyThatLostItsConfig_isSetUpAgainOnTheNextApply() throws Exception {
        backend.apply(ALICE, List.of(route("web.alice.wip.test", app.address())));
        HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(caddy.admin() + "/load"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"admin\":{\"listen\":\"" + caddy.admin().getAuthority()
                        + "\",\"origins\":[\"" + caddy.admin().getAuthority() + "\"]}}")).build(),
                        HttpResponse.BodyHandlers.ofString());

        backend.apply(ALICE, List.of(route("web.alice.wip.test", app.address())));

        assertThat(backend.routes(ALICE)).containsExactly(route("web.alice.wip.test", app.address()));
        assertThat(Curl.get("web.alice.wip.test", caddy.httpsPort(), caddy.rootCertificate()).status()).isEqualTo(200);
    }

    @Test
    void loadingTheBaseConfig_keepsCaddysOwnAdminSettings() throws Exception {
        HttpResponse<String> admin = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(caddy.admin() + "/config/admin")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(admin.body().strip()).isEqualTo("{\"listen\":\"" + caddy.admin().getAuthority()
                + "\",\"origins\":[\"" + caddy.admin().getAuthority() + "\"]}");
    }

    @Test
    void secondBackendOnTheSameCaddy_keepsTheLoadedServer() throws Exception {
        backend.apply(ALICE, List.of(route("web.alice.wip.test", app.address())));

        try (RouteBackend again = CaddyRouteBackend.create(config())) {
            assertThat(again.routes(ALICE)).containsExactly(route("web.alice.wip.test", app.address()));
        }
        HttpResponse<String> routes = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(caddy.admin() + "/config/apps/http/servers/wip/routes")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(routes.body()).endsWith("\"@id\":\"wip-fallback\",\"handle\":[{\"body\":\"no route\\n\","
                + "\"handler\":\"static_response\",\"status_code\":404}],\"terminal\":true}]\n");
    }

    @Test
    void withTheWakePath_aRefusedDialFallsThroughToTheWaker_butCaddy26LosesARetriedBody() throws Exception {
        // the "waker" here is the app stand-in: whatever reaches it answers "hello from the app"
        WakePath wake = new WakePath(app.address(), "");
        int dead = cx.wip.ingress.fixtures.FreePort.next();
        try (CaddyRouteBackend waking = CaddyRouteBackend.create(config(), wake)) {
            waking.apply(ALICE, List.of(route("sleepy.alice.wip.test", "127.0.0.1:" + dead)));

            Curl.Reply get = Curl.get("sleepy.alice.wip.test", caddy.httpsPort(), caddy.rootCertificate());
            assertThat(get.status()).isEqualTo(200);
            assertThat(get.body()).isEqualTo("hello from the app\n");

            // what Caddy 2.6.2 does with a body on the retry: why an ASLEEP tenant's routes lead to the waker alone
            Thread.sleep(2100);   // the passive health check forgets the failed dial
            Curl.Reply post = Curl.send("sleepy.alice.wip.test", caddy.httpsPort(), caddy.rootCertificate(), "/",
                    List.of("--max-time", "10", "-d", "a=b"));
            assertThat(post.status()).isEqualTo(502);

            waking.apply(ALICE, List.of(route("sleepy.alice.wip.test", app.address())));
            assertThat(Curl.send("sleepy.alice.wip.test", caddy.httpsPort(), caddy.rootCertificate(), "/",
                    List.of("--max-time", "10", "-d", "a=b")).status()).as("the waker alone: bodies pass").isEqualTo(200);
            waking.apply(ALICE, List.of());
        }
    }

    @Test
    void withTheWakePath_routesReadBackAsApplied_andAreNotRewritten() throws Exception {
        WakePath wake = new WakePath("127.0.0.1:9", "");
        try (CaddyRouteBackend waking = CaddyRouteBackend.create(config(), wake)) {
            cx.wip.ingress.Route route = route("web.alice.wip.test", "127.0.0.1:32768");
            waking.apply(ALICE, List.of(route));

            String id = ALICE.routeName("web.alice.wip.test");
            String stored = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(caddy.admin() + "/id/"
                    + id)).build(), HttpResponse.BodyHandlers.ofString()).body();
            com.fasterxml.jackson.databind.ObjectMapper mapper = new com.fasterxml.jackson.databind.ObjectMapper();
            assertThat(mapper.readTree(stored)).as("equal JSON: apply sends nothing for an unchanged route")
                    .isEqualTo(new CaddyRoutes(mapper, wake).route(id, route));
            assertThat(waking.routes(ALICE)).containsExactly(route);
            waking.apply(ALICE, List.of());
        }
    }
}
