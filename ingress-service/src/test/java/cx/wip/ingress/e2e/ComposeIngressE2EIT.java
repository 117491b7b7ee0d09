package cx.wip.ingress.e2e;

import cx.wip.gateway.identity.Tenant;
import cx.wip.ingress.IngressFixture;
import cx.wip.ingress.fixtures.Curl;
import cx.wip.ingress.fixtures.DnsmasqProcess;
import cx.wip.ingress.fixtures.Docker;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The proof, end to end: {@code docker-compose up -d} through the gateway puts labelled services online over
 * HTTPS (Caddy, curl), {@code down} takes them off, crashes are survived, hosts and domains stay with their tenant, and
 * a restarted ingress-service reconciles what happened while it was away.
 */
class ComposeIngressE2EIT {
    @TempDir
    static Path dir;
    static IngressFixture ingress;
    static GatewayStack gateway;
    static final String RUN = UUID.randomUUID().toString().substring(0, 6);
    static final Tenant ALICE = new Tenant("alice" + RUN, "alice" + RUN, "free");
    static final Tenant BOB = new Tenant("bob" + RUN, "bob" + RUN, "free");
    final List<Path> projects = new ArrayList<>();
    final List<String> tokens = new ArrayList<>();
    DnsmasqProcess dns;

    @BeforeAll
    static void start() {
        ingress = new IngressFixture(dir);
        gateway = new GatewayStack(ingress, Map.of("alice-token", ALICE, "bob-token", BOB), dir);
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
        if (ingress != null) {
            ingress.close();
        }
    }

    @AfterEach
    void down() {
        for (int i = 0; i < projects.size(); i++) {
            gateway.compose(tokens.get(i), projects.get(i), "down", "-t", "0");
        }
        if (dns != null) {
            dns.close();
        }
    }

    Docker.Result up(String token, Path project) {
        projects.add(project);
        tokens.add(token);
        return gateway.compose(token, project, "up", "-d");
    }

    static String host(String name, Tenant tenant) {
        return name + "." + tenant.slug() + "." + IngressFixture.BASE_DOMAIN;
    }

    static Curl.Reply https(String host) {
        return Curl.get(host, ingress.caddy().httpsPort(), ingress.caddy().rootCertificate());
    }

    /** @return milliseconds until the host answered 200 over HTTPS */
    static long awaitOnline(String host) {
        long started = System.nanoTime();
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(20)).until(() -> https(host).status() == 200);
        return (System.nanoTime() - started) / 1_000_000;
    }

    /**
     * Also the benchmark (bench/ingress.sh): {@code -Dingress.bench.rounds=N} repeats up/down N times and prints each
     * "compose up -d returned → first HTTPS 200" time as a {@code BENCH} line.
     */
    @Test
    void composeUp_putsLabelledServicesOnlineOverHttps_andDownTakesThemOff() {
        Path project = ComposeProject.create(dir, "shop" + RUN, "web", "web:80", "api", "api:80");
        projects.add(project);
        tokens.add("alice-token");
        for (int round = 1; round <= Integer.getInteger("ingress.bench.rounds", 1); round++) {
            Docker.Result up = gateway.compose("alice-token", project, "up", "-d");

            assertThat(up.exit()).as(up.out()).isZero();
            long millis = awaitOnline(host("web", ALICE));
            System.out.println("BENCH compose-up-returned-to-first-https-200-ms " + millis);
            assertThat(https(host("web", ALICE)).body()).isEqualTo("page-of-web\n");
            assertThat(https(host("api", ALICE)).body()).isEqualTo("page-of-api\n");

            Docker.Result down = gateway.compose("alice-token", project, "down", "-t", "0");

            assertThat(down.exit()).as(down.out()).isZero();
            await().atMost(Duration.ofSeconds(10)).until(() -> https(host("web", ALICE)).status() == 404
                    && https(host("api", ALICE)).status() == 404);
        }
    }

    @Test
    void crashedService_isRestartedByItsPolicy_andKeepsItsRoute() {
        Path project = ComposeProject.create(dir, "crash" + RUN, "worker", "worker:80");
        assertThat(up("alice-token", project).exit()).isZero();
        awaitOnline(host("worker", ALICE));
        String id = gateway.compose("alice-token", project, "ps", "-q", "worker").out().lines().reduce((a, b) -> b)
                .orElseThrow();

        Docker.exec(List.of("kill", "-9", Docker.run("inspect", "-f", "{{.State.Pid}}", id)), null, Map.of(), true);

        await().atMost(Duration.ofSeconds(15)).until(() -> Integer.parseInt(Docker.run("inspect", "-f",
                "{{.RestartCount}}", id)) >= 1);
        awaitOnline(host("worker", ALICE));
        assertThat(https(host("worker", ALICE)).body()).isEqualTo("page-of-worker\n");
    }

    @Test
    void invalidLabel_isRefusedAtCreate_withOneLine() {
        Path project = ComposeProject.create(dir, "bad" + RUN, "web", "web");

        Docker.Result up = up("alice-token", project);

        assertThat(up.exit()).isNotZero();
        assertThat(up.out()).contains("label com.wip.http=\"web\" entry \"web\" must be NAME:PORT");
    }

    @Test
    void customDomain_isRefusedWithInstructionsUntilProven_thenServed_andOtherTenantsCannotClaimIt() {
        String domain = "www.shop" + RUN + ".test";
        Path project = ComposeProject.create(dir, "custom" + RUN, "web", domain + ":80");

        Docker.Result refused = up("alice-token", project);

        assertThat(refused.exit()).isNotZero();
        Matcher txt = Pattern.compile("publish DNS TXT _wip\\." + Pattern.quote(domain) + " \"(wip-verify-[0-9a-f]+)\"")
                .matcher(refused.out());
        assertThat(txt.find()).as(refused.out()).isTrue();

        dns = DnsmasqProcess.start(dir, ingress.dnsPort(), List.of("--txt-record=_wip." + domain + "," + txt.group(1)));
        Docker.Result up = gateway.compose("alice-token", project, "up", "-d");
        assertThat(up.exit()).as(up.out()).isZero();
        awaitOnline(domain);
        assertThat(https(domain).body()).isEqualTo("page-of-web\n");

        Path thief = ComposeProject.create(dir, "thief" + RUN, "web", domain + ":80");
        Docker.Result stolen = up("bob-token", thief);
        assertThat(stolen.exit()).isNotZero();
        assertThat(stolen.out()).contains("host " + domain + " belongs to another tenant");
        assertThat(https(domain).body()).isEqualTo("page-of-web\n");
    }

    @Test
    void restartedIngressService_reconcilesWhatChangedWhileItWasAway() {
        Path project = ComposeProject.create(dir, "away" + RUN, "web", "stay:80", "api", "leave:80");
        assertThat(up("alice-token", project).exit()).isZero();
        awaitOnline(host("stay", ALICE));
        awaitOnline(host("leave", ALICE));

        ingress.stop();
        Docker.Result scaledDown = gateway.compose("alice-token", project, "up", "-d", "-t", "0", "--scale", "api=0");
        assertThat(scaledDown.exit()).as(scaledDown.out()).isZero();
        ingress.start();

        await().atMost(Duration.ofSeconds(10)).until(() -> https(host("leave", ALICE)).status() == 404);
        assertThat(https(host("stay", ALICE)).status()).isEqualTo(200);
    }
}
