package cx.wip.auth;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The clients tenants actually use — docker-compose 1.29, compose v2 and buildx (CLI 28's {@code docker build}) — over
 * both ways a tenant proves itself: a bearer token in {@code config.json} and a client certificate (mTLS). What cannot
 * work (buildx and compose v2 build leave the bearer header out, moby/moby#45446) is refused with the cause and the
 * fix in one line, and the fix works: the tenant's token becomes a client certificate bundle and a docker context
 * (README, tenant quick start) that builds with buildx.
 */
class ClientMatrixIT {
    private static final String DOCKERFILE = "FROM wip-test/busybox:latest\nCOPY note /note\n";

    @TempDir
    static Path dir;

    private static Stack stack;
    private static WipCtlRun tenant;
    private static String slug;

    @BeforeAll
    static void start() {
        stack = Stack.start(dir);
        slug = "matrix" + Long.toString(System.nanoTime() % 1_000_000L, 36);
        tenant = stack.wipctl("tenant", "create", slug, "--out", dir.resolve("bundle").toString());
        assertThat(tenant.exitCode()).as(tenant.err()).isZero();
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    private static DockerCli client(String name, String credential) {
        return switch (credential) {
            case "bearer" -> DockerCli.in(dir.resolve("cli-" + name), Map.of("DOCKER_HOST", stack.plainHost()))
                    .withBearer(tenant.token());
            case "mtls" -> DockerCli.in(dir.resolve("cli-" + name), Map.of(
                    "DOCKER_HOST", "tcp://localhost:" + stack.gateway.tlsPort(), "DOCKER_TLS_VERIFY", "1",
                    "DOCKER_CERT_PATH", dir.resolve("bundle").toString(),
                    // docker-py pins TLS 1.2 unless told otherwise; the gateway speaks TLS 1.3 only (README)
                    "COMPOSE_TLS_VERSION", "TLS",
                    // requests prefers these to the context's CA (this machine sets them to the system store)
                    "REQUESTS_CA_BUNDLE", "", "CURL_CA_BUNDLE", ""));
            default -> throw new IllegalArgumentException(credential);
        };
    }

    /** A one-service project of a local image. */
    private static Path runProject(String name) throws IOException {
        final Path project = Files.createDirectories(dir.resolve("run-" + name));
        Files.writeString(project.resolve("docker-compose.yml"), """
                version: "2.4"
                services:
                  app:
                    image: wip-test/busybox:latest
                    command: sh -c 'echo up; exec sleep 600'
                    stop_grace_period: 1s
                """);
        return project;
    }

    /** A one-service project whose image is built from {@link #DOCKERFILE}. */
    private static Path project(String name) throws IOException {
        final Path project = Files.createDirectories(dir.resolve("project-" + name));
        Files.writeString(project.resolve("Dockerfile"), DOCKERFILE);
        Files.writeString(project.resolve("note"), "built by " + name + "\n");
        Files.writeString(project.resolve("docker-compose.yml"), """
                version: "2.4"
                services:
                  app:
                    build: .
                    command: sh -c 'cat /note; exec sleep 600'
                    stop_grace_period: 1s
                """);
        return project;
    }

    private static DockerCli.Result compose(DockerCli docker, String version, Path project, String... args) {
        return "v1".equals(version) ? docker.compose(project, args) : docker.compose2(project, args);
    }

    @ParameterizedTest(name = "compose {0} over {1}")
    @CsvSource({"v1, bearer", "v2, bearer", "v1, mtls", "v2, mtls"})
    void compose_upPsDown_withEveryCredential(String version, String credential) throws IOException {
        final String name = version + credential;
        final DockerCli docker = client(name, credential);
        final Path project = runProject(name);
        final String[] p = {"-p", "wipmx" + name + slug};
        try {
            final DockerCli.Result up = compose(docker, version, project, concat(p, "up", "-d"));
            assertThat(up.exitCode()).as(up.all()).isZero();
            final DockerCli.Result ps = compose(docker, version, project, concat(p, "ps"));
            assertThat(ps.exitCode()).as(ps.all()).isZero();
            assertThat(ps.out()).contains("app").contains("Up");
        } finally {
            final DockerCli.Result down = compose(docker, version, project, concat(p, "down"));
            assertThat(down.exitCode()).as(down.all()).isZero();
        }
    }

    @ParameterizedTest(name = "{0} over mTLS")
    @CsvSource({"buildx", "compose-v1", "compose-v2"})
    void everyBuildClient_buildsOverMutualTls(String client) throws IOException {
        final DockerCli docker = client("build-" + client, "mtls");
        final Path project = project("build-" + client);
        final String image = "wip-it/matrix-" + client + "-" + slug;
        final String[] p = {"-p", "wipmx" + client.replace("-", "") + slug};
        try {
            final DockerCli.Result built = switch (client) {
                case "buildx" -> docker.shell("cd " + project + " && docker build -t " + image + " .");
                case "compose-v1" -> docker.compose(project, concat(p, "build"));
                default -> docker.compose2(project, concat(p, "build"));
            };
            assertThat(built.exitCode()).as(built.all()).isZero();
            if ("buildx".equals(client)) {
                // BuildKit's own progress output: proof that buildx, not the classic builder, did the build
                assertThat(built.err()).contains("naming to docker.io/" + image);
                assertThat(docker.docker("run", "--rm", image, "cat", "/note").out()).isEqualTo("built by build-buildx\n");
            }
        } finally {
            // what each client tagged: the -t name, compose 1.29's project_service, compose v2's project-service
            docker.docker("rmi", "-f", image, p[1] + "_app", p[1] + "-app");
        }
    }

    @Test
    void aBearerTenantsBuilds_areRefusedWithTheCauseAndTheFix_inOneLine_butTheClassicBuilderWorks() throws IOException {
        final DockerCli docker = client("bearer-build", "bearer");
        final Path project = project("bearer-build");
        final String[] p = {"-p", "wipmxbearer" + slug};
        final DockerCli.Result buildx = docker.shell("cd " + project + " && docker build -t wip-it/never-" + slug + " .");
        final DockerCli.Result compose2 = docker.compose2(project, concat(p, "build"));
        // docker-compose 1.29 builds through `docker build` (COMPOSE_DOCKER_CLI_BUILD=1 is its default): buildx too
        final DockerCli.Result compose1 = docker.compose(project, concat(p, "build"));
        for (DockerCli.Result refused : new DockerCli.Result[] {buildx, compose2, compose1}) {
            assertThat(refused.exitCode()).isNotZero();
            assertThat(refused.all().lines().filter(line -> line.contains("moby/moby#45446")))
                    .singleElement().asString()
                    .contains("do not send the bearer token").contains("/wip/v1/credentials/client-certificate");
        }
        // docker-py's own classic build sends config.json's headers with its /build
        final DockerCli.Result classic = docker.shell("cd " + project + " && COMPOSE_DOCKER_CLI_BUILD=0 docker-compose "
                                                      + String.join(" ", p) + " build");
        try {
            assertThat(classic.exitCode()).as(classic.all()).isZero();
        } finally {
            docker.compose(project, concat(p, "down", "--rmi", "local"));
        }
    }

    @Test
    void aTokenBecomesADockerContext_thatBuildsWithBuildx() throws IOException {
        final Path bundle = dir.resolve("self-service");
        final DockerCli docker = client("self-service", "bearer");
        // the README's tenant line, with this test's addresses
        final DockerCli.Result context = docker.shell(
                "mkdir -p " + bundle + " && curl -fsS -X POST -H \"Authorization: Bearer " + tenant.token() + "\""
                + " -H 'Accept: application/x-tar' " + stack.plainHost().replace("tcp://", "http://")
                + "/wip/v1/credentials/client-certificate | tar -x -C " + bundle
                + " && docker context create wip-self --docker \"host=tcp://localhost:" + stack.gateway.tlsPort()
                + ",ca=" + bundle + "/ca.pem,cert=" + bundle + "/cert.pem,key=" + bundle + "/key.pem\"");
        assertThat(context.exitCode()).as(context.all()).isZero();
        assertThat(Files.getPosixFilePermissions(bundle.resolve("key.pem")).toString()).isEqualTo("[OWNER_READ, OWNER_WRITE]");

        final Path project = project("self-service");
        final String image = "wip-it/self-service-" + slug;
        try {
            final DockerCli.Result built = docker.shell("cd " + project + " && docker --context wip-self build -t "
                                                        + image + " .");
            assertThat(built.exitCode()).as(built.all()).isZero();
            assertThat(docker.docker("--context", "wip-self", "run", "--rm", image, "cat", "/note").out())
                    .isEqualTo("built by self-service\n");
        } finally {
            docker.docker("rmi", "-f", image);
        }
        // issued to this tenant (the credential's own), listed for the operator like any other certificate
        assertThat(stack.wipctl("credential", "list", slug).out()).contains("self-service");
    }

    @Test
    void theCertificateEndpoint_wantsACredential_andIssuesToTheCredentialsOwnTenantOnly() {
        final String other = "other" + Long.toString(System.nanoTime() % 1_000_000L, 36);
        final WipCtlRun created = stack.wipctl("tenant", "create", other, "--out", dir.resolve("other").toString());
        final String url = stack.plainHost().replace("tcp://", "http://") + "/wip/v1/credentials/client-certificate";
        final DockerCli shell = client("endpoint", "bearer");
        final long alicesBefore = selfServiceCertificates(slug);

        final DockerCli.Result none = shell.shell("curl -sS -X POST -w ' %{http_code}' " + url);
        assertThat(none.out()).contains("authentication required").endsWith(" 401");
        final DockerCli.Result wrong = shell.shell("curl -sS -X POST -H 'Authorization: Bearer wip-nope' -w ' %{http_code}' "
                                                   + url);
        assertThat(wrong.out()).contains("credential not recognised").endsWith(" 401");

        final DockerCli.Result json = shell.shell("curl -fsS -X POST -H \"Authorization: Bearer " + created.token()
                                                  + "\" " + url);
        assertThat(json.exitCode()).as(json.all()).isZero();
        assertThat(json.out()).contains("\"ca\":\"-----BEGIN CERTIFICATE").contains("\"key\":\"-----BEGIN PRIVATE KEY");
        assertThat(selfServiceCertificates(other)).isEqualTo(1);
        assertThat(selfServiceCertificates(slug)).isEqualTo(alicesBefore);
    }

    private static long selfServiceCertificates(String tenantSlug) {
        return stack.wipctl("credential", "list", tenantSlug).out().lines()
                .filter(line -> line.contains("self-service")).count();
    }

    private static String[] concat(String[] first, String... rest) {
        final String[] all = new String[first.length + rest.length];
        System.arraycopy(first, 0, all, 0, first.length);
        System.arraycopy(rest, 0, all, first.length, rest.length);
        return all;
    }
}
