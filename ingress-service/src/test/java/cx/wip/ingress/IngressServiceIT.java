package cx.wip.ingress;

import cx.wip.ingress.fixtures.Curl;
import cx.wip.ingress.fixtures.DnsmasqProcess;
import cx.wip.ingress.fixtures.Docker;
import cx.wip.ingress.fixtures.TinyHttp;
import cx.wip.proto.ingress.v1.CheckLabelRequest;
import cx.wip.proto.ingress.v1.CheckLabelResponse;
import cx.wip.proto.ingress.v1.ClaimDomainRequest;
import cx.wip.proto.ingress.v1.ClaimDomainResponse;
import cx.wip.proto.ingress.v1.Container;
import cx.wip.proto.ingress.v1.ContainerChangedRequest;
import cx.wip.proto.ingress.v1.ContainerChangedResponse;
import cx.wip.proto.ingress.v1.EngineSleepsRequest;
import cx.wip.proto.ingress.v1.ListRoutesRequest;
import cx.wip.proto.ingress.v1.RemoveRoutesRequest;
import cx.wip.proto.ingress.v1.SyncRoutesRequest;
import cx.wip.proto.ingress.v1.SyncRoutesResponse;
import cx.wip.proto.ingress.v1.Tenant;
import cx.wip.proto.ingress.v1.VerifyDomainRequest;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * ingress-service over its gRPC contract with the real host dockerd, its own Redis, Caddy and dnsmasq: containers
 * started with the docker CLI get HTTPS routes; removal, crashes and restarts behind its back are followed through the
 * daemon's event stream; custom domains need DNS proof; a restarted ingress-service reconciles.
 */
class IngressServiceIT {
    @TempDir
    static Path dir;
    static IngressFixture fixture;
    static final String RUN = UUID.randomUUID().toString().substring(0, 6);
    static final Tenant ALICE = IngressFixture.tenant("alice" + RUN, "alice" + RUN);
    static final Tenant BOB = IngressFixture.tenant("bob" + RUN, "bob" + RUN);
    final List<String> containers = new ArrayList<>();
    DnsmasqProcess dns;

    @BeforeAll
    static void startIngress() {
        fixture = new IngressFixture(dir);
    }

    @AfterAll
    static void stopIngress() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @AfterEach
    void removeContainers() {
        containers.forEach(id -> Docker.exec(List.of("/usr/local/bin/docker", "rm", "-f", id), null,
                java.util.Map.of(), false));
        if (dns != null) {
            dns.close();
        }
    }

    String runLabelled(String label, String page) {
        List<String> args = new ArrayList<>(List.of("run", "-d", "--name", "wipingress-" + RUN + "-" + containers.size(),
                "-p", "127.0.0.1::80", "--label", "com.wip.http=" + label, Docker.IMAGE));
        args.addAll(Docker.httpd(page));
        String id = Docker.run(args.toArray(String[]::new));
        containers.add(id);
        return id;
    }

    ContainerChangedResponse report(Tenant tenant, String id, String action) {
        return fixture.ingress().containerChanged(ContainerChangedRequest.newBuilder().setTenant(tenant)
                .setContainerId(id).setAction(action).build());
    }

    Curl.Reply https(String host) {
        return Curl.get(host, fixture.caddy().httpsPort(), fixture.caddy().rootCertificate());
    }

    String sub(String name, Tenant tenant) {
        return name + "." + tenant.getSlug() + "." + IngressFixture.BASE_DOMAIN;
    }

    @Test
    void labelledContainer_getsAnHttpsRoute_thatGoesAwayWhenTheContainerIsRemoved() {
        String id = runLabelled("web:80", "hello-web");

        ContainerChangedResponse routes = report(ALICE, id, "start");

        assertThat(routes.getRoutesList()).singleElement().satisfies(route -> {
            assertThat(route.getUrl()).isEqualTo("https://" + sub("web", ALICE));
            assertThat(route.getBackends(0).getContainerId()).isEqualTo(id);
        });
        Curl.Reply reply = https(sub("web", ALICE));
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body()).isEqualTo("hello-web\n");

        Docker.run("rm", "-f", id);

        await().atMost(Duration.ofSeconds(10)).until(() -> https(sub("web", ALICE)).status() == 404);
        assertThat(fixture.ingress().listRoutes(ListRoutesRequest.newBuilder().setTenant(ALICE).build())
                .getRoutesList()).isEmpty();
    }

    @Test
    void anEngineMayNotFreeze_behindAnIngressWithoutWaker() {
        String id = runLabelled("frost:80", "frost");
        report(ALICE, id, "start");

        assertThatThrownBy(() -> fixture.ingress().engineSleeps(EngineSleepsRequest.newBuilder()
                .setTenantId(ALICE.getId()).build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
                    assertThat(e.getStatus().getDescription()).contains("no waker");
                });
        // the route still leads to the app
        await().atMost(Duration.ofSeconds(10)).until(() -> https(sub("frost", ALICE)).body(), "frost\n"::equals);
    }

    @Test
    void crashedContainer_losesItsRoute_andARestartBringsItBack() {
        String id = runLabelled("crash:80", "still-here");
        report(ALICE, id, "start");
        // `docker run -d` returns before httpd listens: the route is there, the first answer may not be yet
        await().atMost(Duration.ofSeconds(10)).until(() -> https(sub("crash", ALICE)).status() == 200);

        String pid = Docker.run("inspect", "-f", "{{.State.Pid}}", id);
        Docker.exec(List.of("kill", "-9", pid), null, java.util.Map.of(), true);
        await().atMost(Duration.ofSeconds(10)).until(() -> https(sub("crash", ALICE)).status() == 404);

        Docker.run("start", id);
        await().atMost(Duration.ofSeconds(10)).until(() -> https(sub("crash", ALICE)).status() == 200);
        assertThat(https(sub("crash", ALICE)).body()).isEqualTo("still-here\n");
    }

    @Test
    void invalidLabel_isRefusedWithOneLine() {
        CheckLabelResponse check = fixture.ingress().checkLabel(CheckLabelRequest.newBuilder().setTenant(ALICE)
                .setValue("web").build());

        assertThat(check.getAllowed()).isFalse();
        assertThat(check.getMessage()).isEqualTo("label com.wip.http=\"web\" entry \"web\" must be NAME:PORT "
                + "(e.g. \"web:80\" or \"www.example.com:8080,api:3000\")");
    }

    @Test
    void validLabel_isAllowedWithItsUrls() {
        CheckLabelResponse check = fixture.ingress().checkLabel(CheckLabelRequest.newBuilder().setTenant(ALICE)
                .setValue("web:80,api:3000").build());

        assertThat(check.getAllowed()).isTrue();
        assertThat(check.getUrlsList()).containsExactly("https://" + sub("web", ALICE), "https://" + sub("api", ALICE));
    }

    @Test
    void unverifiedCustomDomain_isRefusedWithInstructions_andWorksOnceTheTxtRecordIsPublished() {
        String domain = "www.shop" + RUN + ".test";
        CheckLabelResponse refused = fixture.ingress().checkLabel(CheckLabelRequest.newBuilder().setTenant(ALICE)
                .setValue(domain + ":80").build());
        ClaimDomainResponse claim = fixture.ingress().claimDomain(ClaimDomainRequest.newBuilder().setTenant(ALICE)
                .setDomain(domain).build());

        assertThat(refused.getAllowed()).isFalse();
        assertThat(refused.getMessage()).isEqualTo("custom domain " + domain + " is not verified: publish DNS TXT _wip."
                + domain + " \"" + claim.getTxtValue() + "\" (or CNAME " + domain + " to " + ALICE.getSlug()
                + ".wip.test), then retry");

        dns = DnsmasqProcess.start(dir, fixture.dnsPort(), List.of("--txt-record=_wip." + domain + ","
                + claim.getTxtValue()));
        assertThat(fixture.ingress().checkLabel(CheckLabelRequest.newBuilder().setTenant(ALICE)
                .setValue(domain + ":80").build()).getAllowed()).isTrue();
        String id = runLabelled(domain + ":80", "custom-domain");
        report(ALICE, id, "start");

        assertThat(https(domain).body()).isEqualTo("custom-domain\n");
    }

    @Test
    void verifiedDomainOfOneTenant_cannotBeClaimedByAnother() {
        String domain = "app.taken" + RUN + ".test";
        dns = DnsmasqProcess.start(dir, fixture.dnsPort(), List.of("--host-record=" + ALICE.getSlug() + ".wip.test,"
                + "127.0.0.1", "--cname=" + domain + "," + ALICE.getSlug() + ".wip.test"));
        assertThat(fixture.ingress().verifyDomain(VerifyDomainRequest.newBuilder().setTenant(ALICE)
                .setDomain(domain).build()).getVerified()).as("CNAME proof").isTrue();

        CheckLabelResponse bob = fixture.ingress().checkLabel(CheckLabelRequest.newBuilder().setTenant(BOB)
                .setValue(domain + ":80").build());

        assertThat(bob.getAllowed()).isFalse();
        assertThat(bob.getMessage()).isEqualTo("host " + domain + " belongs to another tenant: choose another name");
        assertThatThrownBy(() -> fixture.ingress().claimDomain(ClaimDomainRequest.newBuilder().setTenant(BOB)
                .setDomain(domain).build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.ALREADY_EXISTS));
    }

    @Test
    void containerOfAnotherTenant_isNotAdopted() {
        String id = runLabelled("mine:80", "alice-owns-this");
        report(ALICE, id, "start");

        ContainerChangedResponse bob = report(BOB, id, "start");

        assertThat(bob.getRoutesList()).isEmpty();
        assertThat(https(sub("mine", BOB)).status()).isZero();
        assertThat(https(sub("mine", ALICE)).status()).isEqualTo(200);
    }

    @Test
    void askEndpoint_approvesOnlyRoutedHosts() throws Exception {
        String id = runLabelled("asked:80", "asked");
        report(ALICE, id, "start");

        assertThat(ask(sub("asked", ALICE))).isEqualTo(200);
        assertThat(ask("evil.example.com")).isEqualTo(404);
        assertThat(ask(sub("nothing", ALICE))).isEqualTo(404);
    }

    @Test
    void restartedIngressService_reconcilesRoutes() throws Exception {
        String kept = runLabelled("kept:80", "kept");
        String gone = runLabelled("gone:80", "gone");
        report(ALICE, kept, "start");
        report(ALICE, gone, "start");
        assertThat(https(sub("kept", ALICE)).status()).isEqualTo(200);
        assertThat(https(sub("gone", ALICE)).status()).isEqualTo(200);

        fixture.stop();
        Docker.run("rm", "-f", gone);
        HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(fixture.caddy().admin() + "/id/"
                + TenantKey.of(ALICE.getId()).routeName(sub("kept", ALICE)))).DELETE().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(https(sub("kept", ALICE)).status()).as("drift while ingress-service is down").isEqualTo(404);
        String ghost = "{\"@id\":\"wip_ghost_x_wip_test\",\"match\":[{\"host\":[\"x.wip.test\"]}],"
                + "\"handle\":[{\"handler\":\"static_response\",\"body\":\"ghost\"}]}";
        HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(fixture.caddy().admin()
                + "/config/apps/http/servers/wip/routes/0")).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(ghost)).build(), HttpResponse.BodyHandlers.ofString());
        fixture.start();

        await().atMost(Duration.ofSeconds(10)).until(() -> https(sub("kept", ALICE)).status() == 200);
        assertThat(https(sub("gone", ALICE)).status()).isEqualTo(404);
        assertThat(HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(fixture.caddy().admin()
                + "/id/wip_ghost_x_wip_test")).build(), HttpResponse.BodyHandlers.ofString()).statusCode())
                .as("route of a tenant ingress-service does not know").isEqualTo(404);
    }

    @Test
    void syncRoutes_makesTheRoutesExactlyThoseOfTheGivenContainers() {
        try (TinyHttp app = TinyHttp.start(query -> new TinyHttp.Answer(200, "synced"))) {
            int port = Integer.parseInt(app.address().substring(app.address().indexOf(':') + 1));
            Container container = Container.newBuilder().setId("explicit-" + RUN).setName("explicit")
                    .putLabels("com.wip.http", "synced:8080").setRunning(true).putPublishedPorts(8080, port).build();

            SyncRoutesResponse synced = fixture.ingress().syncRoutes(SyncRoutesRequest.newBuilder().setTenant(BOB)
                    .addContainers(container).build());

            assertThat(synced.getRoutesList()).singleElement().satisfies(route -> assertThat(route.getBackends(0)
                    .getUpstream()).isEqualTo("127.0.0.1:" + port));
            assertThat(https(sub("synced", BOB)).body()).isEqualTo("synced");

            fixture.ingress().syncRoutes(SyncRoutesRequest.newBuilder().setTenant(BOB).build());

            assertThat(https(sub("synced", BOB)).status()).isEqualTo(404);
        }
    }

    @Test
    void tenantOnItsOwnTcpDaemon_isReachedOnThatDaemonsAddress() {
        Tenant vm = Tenant.newBuilder().setId("vm" + RUN).setSlug("vm" + RUN).setDaemonAddress("tcp://127.0.0.2:2375")
                .build();
        Container container = Container.newBuilder().setId("vm-container-" + RUN).putLabels("com.wip.http", "web:80")
                .setRunning(true).putPublishedPorts(80, 32768).build();

        SyncRoutesResponse synced = fixture.ingress().syncRoutes(SyncRoutesRequest.newBuilder().setTenant(vm)
                .addContainers(container).build());
        fixture.ingress().removeRoutes(RemoveRoutesRequest.newBuilder().setTenant(vm).build());

        assertThat(synced.getRoutes(0).getBackends(0).getUpstream()).isEqualTo("127.0.0.2:32768");
    }

    @Test
    void dedicatedDaemon_adoptsLabelledContainersNobodyReported() {
        Tenant carol = Tenant.newBuilder().setId("carol" + RUN).setSlug("carol" + RUN).setDedicatedDaemon(true).build();
        String id = runLabelled("own:80", "carols");

        try {
            ContainerChangedResponse routes = report(carol, "", "prune");

            assertThat(routes.getRoutesList()).anySatisfy(route -> assertThat(route.getBackends(0).getContainerId())
                    .isEqualTo(id));
            assertThat(https(sub("own", carol)).body()).isEqualTo("carols\n");
        } finally {
            // the host daemon is shared by every test: carol must not keep adopting other tests' containers
            assertThat(fixture.ingress().removeRoutes(RemoveRoutesRequest.newBuilder().setTenant(carol).build())
                    .getRemoved()).isPositive();
        }
        assertThat(https(sub("own", carol)).status()).isEqualTo(404);
    }

    @Test
    void healthEndpoint_answers_namingRedisWithoutItsAddress() throws Exception {
        HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://"
                + fixture.grpcAddress() + "/observe/health")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"redis\":\"up\"").doesNotContain("redis://")
                .doesNotContain("127.0.0.1").doesNotContain(":6379");
    }

    static int ask(String domain) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + fixture.server().askPort() + "/ask?domain=" + domain)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
