package cx.wip.auth;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import cx.wip.proto.auth.v1.AuthAdminServiceGrpc;
import cx.wip.proto.auth.v1.AuthServiceGrpc;
import cx.wip.proto.auth.v1.AuthenticateRequest;
import cx.wip.proto.auth.v1.AuthenticateResponse;
import cx.wip.proto.auth.v1.CertificateCredential;
import cx.wip.proto.auth.v1.DenialReason;
import cx.wip.proto.auth.v1.ListTenantsRequest;

import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** auth-service over its real sockets, with wipctl through its real entry point, and a real Redis. */
class AuthServerIT {
    private static RedisProcess redis;

    @TempDir
    Path dir;

    private AuthServer server;
    private ManagedChannel channel;

    @BeforeAll
    static void startRedis() {
        redis = RedisProcess.start();
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    @BeforeEach
    void start() {
        server = AuthServer.start(AuthFixture.config(redis, dir, 0, 0));
        channel = NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
    }

    @AfterEach
    void stop() {
        channel.shutdownNow();
        server.close();
    }

    private String admin() {
        return "127.0.0.1:" + server.adminPort();
    }

    private WipCtlRun wipctl(String... args) {
        return WipCtlRun.run(admin(), AuthFixture.adminTokenFile(dir), args);
    }

    private AuthAdminServiceGrpc.AuthAdminServiceBlockingStub adminStub(ManagedChannel admin, String authorization) {
        final AuthAdminServiceGrpc.AuthAdminServiceBlockingStub stub = AuthAdminServiceGrpc.newBlockingStub(admin)
                .withDeadlineAfter(10, TimeUnit.SECONDS);
        if (authorization == null) {
            return stub;
        }
        final Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), authorization);
        return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
    }

    private AuthenticateResponse authenticate(AuthenticateRequest request) {
        return AuthServiceGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS).authenticate(request);
    }

    private static String slug(String base) {
        return base + Long.toString(System.nanoTime() % 1_000_000_000L, 36);
    }

    @Test
    void wipctlCreate_issuesTokenAndCertificate_thatAuthenticateEveryWay_andNoSecretIsLoggedOrStored() throws Exception {
        final String slug = slug("alice");
        final WipCtlRun created;
        final String token;
        try (LogCapture logs = LogCapture.start()) {
            created = wipctl("tenant", "create", slug, "--plan", "hobby", "--out",
                                    dir.resolve("bundle").toString());
            assertThat(created.exitCode()).as(created.err()).isZero();
            token = created.token();
            assertThat(authenticate(AuthenticateRequest.newBuilder().setBearerToken(token).build()).getTenant().getSlug())
                    .isEqualTo(slug);
            assertThat(authenticate(AuthenticateRequest.newBuilder().setHostKey(token).build()).getTenant().getSlug())
                    .isEqualTo(slug);
            final X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(Files.newInputStream(dir.resolve("bundle/cert.pem")));
            final String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(cert.getEncoded()));
            assertThat(authenticate(AuthenticateRequest.newBuilder().setCertificate(CertificateCredential.newBuilder()
                    .setSha256(sha).setSerial(cert.getSerialNumber().toString(16))).build()).getTenant().getSlug())
                    .isEqualTo(slug);
            final String wrong = token.substring(0, 15) + "b".repeat(40);
            assertThat(authenticate(AuthenticateRequest.newBuilder().setBearerToken(wrong).build()).getDenial().getReason())
                    .isEqualTo(DenialReason.UNKNOWN_CREDENTIAL);
            assertThat(logs.text()).contains("tenant created").doesNotContain(token).doesNotContain(token.substring(15));
        }
        assertThat(created.tokenMentions()).as("token shown in the HttpHeaders and host-key lines only").isEqualTo(3);
        assertThat(created.out()).contains("docker context create wip-" + slug + " --docker \"host=tcp://")
                .contains("\"HttpHeaders\": { \"Authorization\": \"Bearer " + token + "\" }");
        assertThat(dir.resolve("bundle")).isDirectoryContaining("glob:**/ca.pem")
                .isDirectoryContaining("glob:**/cert.pem").isDirectoryContaining("glob:**/key.pem");
        assertThat(redisValues()).noneMatch(v -> v.contains(token.substring(15)));
        assertThat(wipctl("credential", "list", slug).out()).doesNotContain(token.substring(15));
    }

    @Test
    void revokeAndDisable_throughWipctl_areSeenByAuthenticate() {
        final String slug = slug("bob");
        final String first = wipctl("tenant", "create", slug, "--out", dir.resolve("b").toString()).token();
        final WipCtlRun second = wipctl("credential", "issue", slug, "--kind", "token", "--label", "ci");
        assertThat(second.exitCode()).isZero();
        final String credentialId = second.out().replaceAll("(?s).*Token (cr-[a-z2-7]+).*", "$1");
        assertThat(wipctl("credential", "revoke", credentialId).exitCode()).isZero();
        assertThat(authenticate(AuthenticateRequest.newBuilder().setBearerToken(second.token()).build())
                           .getDenial().getReason()).isEqualTo(DenialReason.REVOKED);
        assertThat(authenticate(AuthenticateRequest.newBuilder().setBearerToken(first).build()).hasTenant()).isTrue();
        assertThat(wipctl("tenant", "disable", slug).exitCode()).isZero();
        assertThat(authenticate(AuthenticateRequest.newBuilder().setBearerToken(first).build())
                           .getDenial().getReason()).isEqualTo(DenialReason.TENANT_DISABLED);
        assertThat(wipctl("tenant", "show", slug).out()).contains("disabled since").contains("revoked");
    }

    /** Issue 13: an operator moves a tenant to another plan; Authenticate answers with it at once. */
    @Test
    void tenantPlan_throughWipctl_isWhatAuthenticateAnswers() {
        final String slug = slug("carol");
        final String token = wipctl("tenant", "create", slug, "--out", dir.resolve("c").toString()).token();
        final WipCtlRun moved = wipctl("tenant", "plan", slug, "pro");
        assertThat(moved.exitCode()).isZero();
        assertThat(moved.out()).contains("is on plan pro");
        assertThat(authenticate(AuthenticateRequest.newBuilder().setBearerToken(token).build()).getTenant().getPlan())
                .isEqualTo("pro");
        assertThat(wipctl("tenant", "show", slug).out()).contains("plan:     pro");
        assertThat(wipctl("tenant", "plan", slug, "Not A Plan").exitCode()).isEqualTo(2);
    }

    @Test
    void wipctl_errors_sayWhatWentWrong_withExitCodes() {
        final WipCtlRun unknown = wipctl("tenant", "show", "nobody");
        assertThat(unknown.exitCode()).isEqualTo(3);
        assertThat(unknown.err()).contains("no tenant 'nobody'");
        final String slug = slug("dup");
        wipctl("tenant", "create", slug, "--out", dir.resolve("d").toString());
        assertThat(wipctl("tenant", "create", slug).exitCode()).isEqualTo(4);
        assertThat(wipctl("tenant", "create", "Bad Slug").exitCode()).isEqualTo(2);
        final WipCtlRun down = WipCtlRun.run("127.0.0.1:1", AuthFixture.adminTokenFile(dir), "tenant", "list");
        assertThat(down.exitCode()).isEqualTo(69);
        assertThat(down.err()).contains("unreachable at 127.0.0.1:1");
    }

    @Test
    void adminCalls_needTheAdminToken_fromTheFileAuthServiceWrote_mode600() throws Exception {
        final Path file = AuthFixture.adminTokenFile(dir);
        assertThat(Files.getPosixFilePermissions(file)).containsExactlyInAnyOrder(
                java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
        final String token = Files.readString(file).strip();
        final ManagedChannel admin = NettyChannelBuilder.forAddress("127.0.0.1", server.adminPort()).usePlaintext()
                .build();
        try {
            for (String authorization : new String[] {null, "Bearer " + token + "x", "Bearer x", "Basic " + token,
                                                      "Bearer wip-admin-" + "A".repeat(43)}) {
                assertThatThrownBy(() -> adminStub(admin, authorization).listTenants(ListTenantsRequest.getDefaultInstance()))
                        .as(authorization == null ? "no token" : "wrong token")
                        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
                            assertThat(e.getStatus().getDescription()).contains("admin token")
                                    .contains("--admin-token-file").doesNotContain(token);
                        });
            }
            assertThat(adminStub(admin, "Bearer " + token).listTenants(ListTenantsRequest.getDefaultInstance()))
                    .isNotNull();
        } finally {
            admin.shutdownNow();
        }
    }

    @Test
    void wipctl_withAnotherToken_isRefused_exit77() throws Exception {
        final Path other = dir.resolve("other.token");
        Files.writeString(other, "wip-admin-not-the-right-one-at-all\n");
        final WipCtlRun refused = WipCtlRun.run(admin(), other, "tenant", "list");
        assertThat(refused.exitCode()).isEqualTo(77);
        assertThat(refused.err()).contains("refused the call: admin token not accepted");
    }

    @Test
    void theAdminTokenFile_isKeptAcrossRestarts_andNeverLogged() throws Exception {
        final String token = Files.readString(AuthFixture.adminTokenFile(dir)).strip();
        try (LogCapture logs = LogCapture.start()) {
            stop();
            start();
            assertThat(wipctl("tenant", "list").exitCode()).isZero();
            assertThat(logs.text()).doesNotContain(token).doesNotContain(token.substring(10));
        }
        assertThat(Files.readString(AuthFixture.adminTokenFile(dir)).strip()).isEqualTo(token);
    }

    @Test
    void aFreshStart_logsWhereTheAdminTokenIs_butNotTheToken() throws Exception {
        final Path fresh = dir.resolve("fresh");
        try (LogCapture logs = LogCapture.start();
             AuthServer other = AuthServer.start(AuthFixture.config(redis, fresh, 0, 0))) {
            final String token = Files.readString(AuthFixture.adminTokenFile(fresh)).strip();
            assertThat(token).startsWith("wip-admin-").hasSizeGreaterThan(40);
            assertThat(logs.text()).contains("created the admin token file " + AuthFixture.adminTokenFile(fresh))
                    .doesNotContain(token).doesNotContain(token.substring(10));
        }
    }

    @Test
    void adminService_isNotServedOnTheGatewayFacingPort() {
        assertThatThrownBy(() -> AuthAdminServiceGrpc.newBlockingStub(channel).listTenants(ListTenantsRequest.getDefaultInstance()))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNIMPLEMENTED));
    }

    @Test
    void grpcHealthAndHttpHealth_reportServing() throws Exception {
        await().atMost(Duration.ofSeconds(10)).until(() -> HealthGrpc.newBlockingStub(channel)
                .check(HealthCheckRequest.newBuilder().setService(AuthServiceGrpc.SERVICE_NAME).build())
                .getStatus() == HealthCheckResponse.ServingStatus.SERVING);
        final HttpResponse<String> http = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/observe/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(http.statusCode()).isEqualTo(200);
        assertThat(http.body()).contains("\"status\":\"UP\"").contains("\"redis\":\"up\"")
                // health answers on the service port: the Redis URI (and any password in it) stays inside
                .doesNotContain("redis://").doesNotContain("127.0.0.1").doesNotContain(":6379");
    }

    @Test
    void reflection_listsTheAuthService() throws Exception {
        final CompletableFuture<ServerReflectionResponse> answer = new CompletableFuture<>();
        final StreamObserver<ServerReflectionRequest> requests = ServerReflectionGrpc.newStub(channel)
                .serverReflectionInfo(new StreamObserver<>() {
                    @Override
                    public void onNext(ServerReflectionResponse value) {
                        answer.complete(value);
                    }

                    @Override
                    public void onError(Throwable t) {
                        answer.completeExceptionally(t);
                    }

                    @Override
                    public void onCompleted() {
                    }
                });
        requests.onNext(ServerReflectionRequest.newBuilder().setListServices("").build());
        final List<String> services = answer.get(10, TimeUnit.SECONDS).getListServicesResponse().getServiceList()
                .stream().map(s -> s.getName()).toList();
        requests.onCompleted();
        assertThat(services).contains(AuthServiceGrpc.SERVICE_NAME);
    }

    @Test
    void restart_keepsTenantsAndCredentials() {
        final String slug = slug("keep");
        final String token = wipctl("tenant", "create", slug, "--out", dir.resolve("k").toString()).token();
        stop();
        start();
        assertThat(wipctl("tenant", "list").out()).contains(slug);
        assertThat(authenticate(AuthenticateRequest.newBuilder().setBearerToken(token).build()).getTenant().getSlug())
                .isEqualTo(slug);
    }

    private static List<String> redisValues() {
        final RedisClient client = RedisClient.create(redis.uri());
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            return c.sync().keys(redis.prefix() + "*").stream().flatMap(key -> switch (c.sync().type(key)) {
                case "hash" -> c.sync().hvals(key).stream();
                case "string" -> java.util.stream.Stream.of(c.sync().get(key));
                case "zset" -> c.sync().zrange(key, 0, -1).stream();
                case "set" -> c.sync().smembers(key).stream();
                default -> java.util.stream.Stream.of(key);
            }).toList();
        } finally {
            client.shutdown();
        }
    }
}
