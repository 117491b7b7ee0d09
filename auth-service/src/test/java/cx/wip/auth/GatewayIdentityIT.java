package cx.wip.auth;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 3's proof with the real docker CLI and docker-compose: a tenant created with wipctl reaches the daemon through
 * the gateway by mTLS, by bearer token and by key in hostname; no / wrong / revoked / disabled credentials get our
 * one-line message; no credential ever reaches a log line.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GatewayIdentityIT {
    private static final Pattern CONTEXT_LINE = Pattern.compile("(?m)^\\s+(docker context create .*)$");

    @TempDir
    static Path dir;

    private static LogCapture logs;
    private static Stack stack;
    private static WipCtlRun alice;
    private static String slug;

    @BeforeAll
    static void start() {
        logs = LogCapture.start();
        stack = Stack.start(dir);
        slug = "alice" + Long.toString(System.nanoTime() % 1_000_000L, 36);
        alice = stack.wipctl("tenant", "create", slug, "--plan", "hobby", "--out", dir.resolve("alice").toString(),
                             "--gateway-tls", "localhost:" + stack.gateway.tlsPort(),
                             "--gateway", "127.0.0.1:" + stack.gateway.port());
        assertThat(alice.exitCode()).as(alice.err()).isZero();
    }

    @AfterAll
    static void stop() {
        logs.close();
        if (stack != null) {
            stack.close();
        }
    }

    private static DockerCli cli(String name, Map<String, String> env) {
        return DockerCli.in(dir.resolve("cli-" + name), env);
    }

    private static DockerCli plain(String name) {
        return cli(name, Map.of("DOCKER_HOST", stack.plainHost()));
    }

    @Test
    @Order(1)
    void mutualTls_withThePrintedDockerContextLine_reachesTheDaemon() {
        final Matcher line = CONTEXT_LINE.matcher(alice.out());
        assertThat(line.find()).as(alice.out()).isTrue();
        final DockerCli docker = cli("mtls", Map.of());
        final DockerCli.Result created = docker.shell(line.group(1));
        assertThat(created.exitCode()).as(created.all()).isZero();
        final DockerCli.Result ps = docker.docker("--context", "wip-" + slug, "ps");
        assertThat(ps.exitCode()).as(ps.all()).isZero();
        assertThat(ps.out()).startsWith("CONTAINER ID");
        final DockerCli.Result run = docker.docker("--context", "wip-" + slug, "run", "--rm",
                                                   "wip-test/busybox:latest", "echo", "hello over mTLS");
        assertThat(run.exitCode()).as(run.all()).isZero();
        assertThat(run.out()).contains("hello over mTLS");
    }

    @Test
    @Order(2)
    void bearerToken_inConfigJsonHttpHeaders_reachesTheDaemon_fromTheCliAndCompose() throws IOException {
        final DockerCli docker = plain("bearer").withBearer(alice.token());
        final DockerCli.Result version = docker.docker("version", "--format", "{{.Server.APIVersion}}");
        assertThat(version.exitCode()).as(version.all()).isZero();
        assertThat(version.out().strip()).matches("1\\.\\d+");
        final Path project = Files.createDirectories(dir.resolve("compose"));
        Files.writeString(project.resolve("docker-compose.yml"),
                          "version: '2.4'\nservices:\n  web:\n    image: wip-test/busybox:latest\n");
        final DockerCli.Result ps = docker.compose(project, "-p", "wipauth" + slug, "ps");
        assertThat(ps.exitCode()).as(ps.all()).isZero();
    }

    @Test
    @Order(3)
    void keyInHostname_reachesTheDaemon() throws IOException {
        final String host = alice.token() + ".wip.localhost";
        final String entry = "127.0.0.1 " + host;
        final Path hosts = Path.of("/etc/hosts");
        final String original = Files.readString(hosts);
        Files.writeString(hosts, original + (original.endsWith("\n") ? "" : "\n") + entry + "\n");
        try {
            final DockerCli.Result ps = cli("hostkey", Map.of("DOCKER_HOST", "tcp://" + host + ":" + stack.gateway.port()))
                    .docker("ps");
            assertThat(ps.exitCode()).as(ps.all()).isZero();
        } finally {
            Files.writeString(hosts, Files.readString(hosts).replace(entry + "\n", ""));
        }
    }

    @Test
    @Order(4)
    void noCredential_printsHowToAuthenticate_inTheCliAndCompose() throws IOException {
        final DockerCli.Result ps = plain("none").docker("ps");
        assertThat(ps.exitCode()).isNotZero();
        assertThat(ps.err()).contains("authentication required").contains("HttpHeaders");
        final Path project = Files.createDirectories(dir.resolve("compose-none"));
        Files.writeString(project.resolve("docker-compose.yml"),
                          "version: '2.4'\nservices:\n  web:\n    image: wip-test/busybox:latest\n");
        final DockerCli.Result compose = plain("compose-none").compose(project, "-p", "wipnone" + slug, "ps");
        assertThat(compose.exitCode()).isNotZero();
        assertThat(compose.all()).contains("authentication required");
        final DockerCli.Result mtlsWithoutCert = cli("nocert", Map.of("DOCKER_HOST", "tcp://localhost:" + stack.gateway.tlsPort(),
                                                                      "DOCKER_TLS", "1")).docker("ps");
        assertThat(mtlsWithoutCert.exitCode()).isNotZero();
    }

    @Test
    @Order(5)
    void wrongToken_printsNotRecognised_withoutEchoingIt() {
        final String wrong = "wip-aaaaaaaaaa-" + "b".repeat(40);
        final DockerCli.Result ps = plain("wrong").withBearer(wrong).docker("ps");
        assertThat(ps.exitCode()).isNotZero();
        assertThat(ps.err()).contains("credential not recognised").doesNotContain(wrong);
    }

    @Test
    @Order(6)
    void revokedToken_stopsWorkingWithinFiveSeconds_andSaysRevoked() {
        final WipCtlRun issued = stack.wipctl("credential", "issue", slug, "--kind", "token", "--label", "revoke-me");
        final DockerCli docker = plain("revoked").withBearer(issued.token());
        assertThat(docker.docker("ps").exitCode()).isZero();
        final String credentialId = issued.out().replaceAll("(?s).*Token (cr-[a-z2-7]+).*", "$1");
        assertThat(stack.wipctl("credential", "revoke", credentialId).exitCode()).isZero();
        final long revokedAt = System.nanoTime();
        long lastAcceptedStart = revokedAt;
        DockerCli.Result ps;
        while (true) {
            final long start = System.nanoTime();
            ps = docker.docker("ps");
            if (ps.exitCode() != 0 || start - revokedAt > Duration.ofSeconds(15).toNanos()) {
                break;
            }
            lastAcceptedStart = start;
        }
        final Duration refusedAfter = Duration.ofNanos(System.nanoTime() - revokedAt);
        final Duration lastAccepted = Duration.ofNanos(lastAcceptedStart - revokedAt);
        System.out.println("revocation: last accepted request started " + lastAccepted.toMillis()
                                   + " ms after revoke; first refusal seen " + refusedAfter.toMillis() + " ms after");
        assertThat(lastAccepted).isLessThan(Duration.ofSeconds(5));
        assertThat(ps.err()).contains("this credential was revoked");
    }

    @Test
    @Order(7)
    void anotherTenantsDisabledToken_saysTheTenantIsDisabled() {
        final String bob = "bob" + Long.toString(System.nanoTime() % 1_000_000L, 36);
        final WipCtlRun created = stack.wipctl("tenant", "create", bob, "--out", dir.resolve("bob").toString());
        final DockerCli docker = plain("disabled").withBearer(created.token());
        assertThat(docker.docker("ps").exitCode()).isZero();
        assertThat(stack.wipctl("tenant", "disable", bob).exitCode()).isZero();
        final DockerCli.Result ps = retryUntilFailing(docker);
        assertThat(ps.err()).contains("this tenant is disabled");
        assertThat(plain("alice-still").withBearer(alice.token()).docker("ps").exitCode()).isZero();
    }

    @Test
    @Order(8)
    void revokedClientCertificate_isRefused_overMutualTls() {
        final Path bundle = dir.resolve("carol");
        final String carol = "carol" + Long.toString(System.nanoTime() % 1_000_000L, 36);
        final WipCtlRun created = stack.wipctl("tenant", "create", carol, "--out", bundle.toString());
        final DockerCli docker = cli("mtls-revoked", Map.of(
                "DOCKER_HOST", "tcp://localhost:" + stack.gateway.tlsPort(), "DOCKER_TLS_VERIFY", "1",
                "DOCKER_CERT_PATH", bundle.toString()));
        assertThat(docker.docker("ps").exitCode()).isZero();
        final String certId = created.out().replaceAll("(?s).*Client certificate (cr-[a-z2-7]+).*", "$1");
        assertThat(stack.wipctl("credential", "revoke", certId).exitCode()).isZero();
        assertThat(retryUntilFailing(docker).err()).contains("this credential was revoked");
    }

    @Test
    @Order(100)
    void logsCarryTheTenantId_neverACredential() {
        final String tenantId = alice.out().replaceAll("(?s).*created: id (tn-[a-z2-7]+).*", "$1");
        assertThat(logs.lines()).anyMatch(line -> line.contains("\"tenant\":\"" + tenantId + "\""));
        final String text = logs.text();
        assertThat(text).doesNotContain(alice.token()).doesNotContain(alice.token().substring(15));
        assertThat(text).doesNotContainPattern("wip-[a-z2-7]{10}-[a-z2-7]{40}");
        assertThat(text).doesNotContain("Bearer wip-");
    }

    private static DockerCli.Result retryUntilFailing(DockerCli docker) {
        final long start = System.nanoTime();
        DockerCli.Result ps;
        do {
            ps = docker.docker("ps");
        } while (ps.exitCode() == 0 && System.nanoTime() - start < Duration.ofSeconds(5).toNanos());
        assertThat(ps.exitCode()).as("still accepted 5 s later").isNotZero();
        return ps;
    }
}
