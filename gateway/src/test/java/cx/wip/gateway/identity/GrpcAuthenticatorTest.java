package cx.wip.gateway.identity;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import cx.wip.gateway.GatewayException;
import cx.wip.proto.auth.v1.AuthenticateRequest;
import cx.wip.proto.auth.v1.DenialReason;
import cx.wip.telemetry.GrpcChannels;
import cx.wip.telemetry.GrpcClientConfig;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class GrpcAuthenticatorTest {
    private static final String TOKEN = "wip-abcdefghij-abcdefghijklmnopqrstuvwxyz234567abcdefghijklmn";
    private static final Duration TTL = Duration.ofSeconds(2);

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private FakeAuthService auth;
    private GrpcAuthenticator authenticator;

    @AfterEach
    void stop() throws InterruptedException {
        if (authenticator != null) {
            authenticator.close();
        }
        if (auth != null) {
            auth.close();
        }
    }

    private GrpcAuthenticator authenticator(boolean hostKeys) {
        final GrpcClientConfig grpc = GrpcClientConfig.of("127.0.0.1:" + auth.port(), Duration.ofSeconds(2));
        final AuthSettings settings = new AuthSettings(grpc, TTL, 1000, hostKeys, "wip.localhost", 3,
                                                       Duration.ofSeconds(60), 1000);
        authenticator = new GrpcAuthenticator(settings, GrpcChannels.open("wip-test", settings.grpc()), now::get);
        return authenticator;
    }

    private static ClientIdentity bearer(String token, String from) {
        return new ClientIdentity(Optional.empty(), Optional.empty(), Optional.of(token), "localhost", from);
    }

    private static ClientIdentity host(String hostname) {
        return new ClientIdentity(Optional.empty(), Optional.empty(), Optional.empty(), hostname, "10.0.0.9:5555");
    }

    @Test
    void noCredential_is401_sayingHowToAuthenticate() {
        auth = new FakeAuthService(r -> FakeAuthService.tenant("t1")).start(0);
        assertThatThrownBy(() -> authenticator(true).authenticate(host("localhost")))
                .isInstanceOfSatisfying(GatewayException.class, e -> {
                    assertThat(e.status()).isEqualTo(401);
                    assertThat(e.getMessage()).contains("HttpHeaders").contains("Bearer").doesNotContain("\n");
                });
        assertThat(auth.requests).isEmpty();
    }

    @Test
    void bearerToken_provesTenant_andWarmRequestMakesNoRpc() {
        auth = new FakeAuthService(r -> FakeAuthService.tenant("t1")).start(0);
        final GrpcAuthenticator a = authenticator(true);
        assertThat(a.authenticate(bearer(TOKEN, "10.0.0.1:1"))).isEqualTo(new Tenant("t1", "slug-t1", "hobby"));
        for (int i = 0; i < 100; i++) {
            a.authenticate(bearer(TOKEN, "10.0.0.1:1"));
        }
        assertThat(auth.requests).hasSize(1);
        assertThat(auth.requests.getFirst().getBearerToken()).isEqualTo(TOKEN);
    }

    @Test
    void cacheEntryExpires_afterTtl_soRevocationIsSeen() {
        auth = new FakeAuthService(r -> FakeAuthService.tenant("t1")).start(0);
        final GrpcAuthenticator a = authenticator(true);
        a.authenticate(bearer(TOKEN, "10.0.0.1:1"));
        auth.answer(r -> FakeAuthService.denial(DenialReason.REVOKED));
        now.addAndGet(TTL.toNanos() - 1);
        assertThat(a.authenticate(bearer(TOKEN, "10.0.0.1:1")).id()).isEqualTo("t1");
        now.addAndGet(1);
        assertThatThrownBy(() -> a.authenticate(bearer(TOKEN, "10.0.0.1:1")))
                .isInstanceOfSatisfying(GatewayException.class, e -> {
                    assertThat(e.status()).isEqualTo(401);
                    assertThat(e.getMessage()).isEqualTo(GrpcAuthenticator.REVOKED);
                });
    }

    @Test
    void certificate_isPreferred_overBearerAndHost() {
        auth = new FakeAuthService(r -> FakeAuthService.tenant("t1")).start(0);
        authenticator(true).authenticate(new ClientIdentity(Optional.of("AB12"), Optional.of("0F"), Optional.of(TOKEN),
                                                            "k.wip.localhost", "10.0.0.1:1"));
        final AuthenticateRequest sent = auth.requests.getFirst();
        assertThat(sent.hasCertificate()).isTrue();
        assertThat(sent.getCertificate().getSha256()).isEqualTo("ab12");
        assertThat(sent.getCertificate().getSerial()).isEqualTo("0f");
    }

    @Test
    void hostKey_isTheFirstLabelOfTheDomain_whenEnabled() {
        auth = new FakeAuthService(r -> FakeAuthService.tenant("t1")).start(0);
        authenticator(true).authenticate(host("MyKey.WIP.localhost"));
        assertThat(auth.requests.getFirst().getHostKey()).isEqualTo("mykey");
        assertThatThrownBy(() -> authenticator.authenticate(host("a.b.wip.localhost")))
                .hasMessage(GrpcAuthenticator.NO_CREDENTIAL);
        assertThatThrownBy(() -> authenticator.authenticate(host("evilwip.localhost")))
                .hasMessage(GrpcAuthenticator.NO_CREDENTIAL);
    }

    @Test
    void hostKey_isIgnored_whenDisabled() {
        auth = new FakeAuthService(r -> FakeAuthService.tenant("t1")).start(0);
        assertThatThrownBy(() -> authenticator(false).authenticate(host("mykey.wip.localhost")))
                .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.status()).isEqualTo(401));
        assertThat(auth.requests).isEmpty();
    }

    @Test
    void denials_map_toOneLineMessages_withoutTheCredential() {
        auth = new FakeAuthService(r -> FakeAuthService.denial(DenialReason.UNKNOWN_CREDENTIAL)).start(0);
        final GrpcAuthenticator a = authenticator(true);
        assertThatThrownBy(() -> a.authenticate(bearer(TOKEN, "10.0.0.1:1"))).hasMessage(GrpcAuthenticator.UNKNOWN)
                .hasMessageNotContaining(TOKEN);
        auth.answer(r -> FakeAuthService.denial(DenialReason.TENANT_DISABLED));
        assertThatThrownBy(() -> a.authenticate(bearer(TOKEN, "10.0.0.2:1"))).hasMessage(GrpcAuthenticator.DISABLED);
        assertThat(a.cachedCredentials()).isZero();
    }

    @Test
    void failures_fromOneAddress_are429_untilTheWindowEnds_othersUnaffected() {
        auth = new FakeAuthService(r -> r.getBearerToken().equals(TOKEN)
                ? FakeAuthService.tenant("t1") : FakeAuthService.denial(DenialReason.UNKNOWN_CREDENTIAL)).start(0);
        final GrpcAuthenticator a = authenticator(true);
        for (int i = 0; i < 3; i++) {
            final int n = i;
            assertThatThrownBy(() -> a.authenticate(bearer("guess" + n, "10.0.0.7:" + n)))
                    .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.status()).isEqualTo(401));
        }
        assertThatThrownBy(() -> a.authenticate(bearer(TOKEN, "10.0.0.7:99")))
                .isInstanceOfSatisfying(GatewayException.class, e -> {
                    assertThat(e.status()).isEqualTo(429);
                    assertThat(e.getMessage()).contains("retry in 60 s");
                });
        assertThat(auth.requests).hasSize(3);
        assertThat(a.authenticate(bearer(TOKEN, "10.0.0.8:1")).id()).isEqualTo("t1");
        now.addAndGet(TimeUnit.SECONDS.toNanos(60));
        assertThat(a.authenticate(bearer(TOKEN, "10.0.0.7:1")).id()).isEqualTo("t1");
    }

    @Test
    void authServiceDown_is503_andRecoversByItself() throws Exception {
        auth = new FakeAuthService(r -> FakeAuthService.tenant("t1")).start(0);
        final int port = auth.port();
        final GrpcAuthenticator a = authenticator(true);
        auth.close();
        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> a.authenticate(bearer(TOKEN, "10.0.0.1:1")))
                    .isInstanceOfSatisfying(GatewayException.class, e -> {
                        assertThat(e.status()).isEqualTo(503);
                        assertThat(e.getMessage()).isEqualTo(GrpcAuthenticator.UNAVAILABLE);
                    });
        }
        auth = new FakeAuthService(r -> FakeAuthService.tenant("t1")).start(port);
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).ignoreExceptions()
                .until(() -> a.authenticate(bearer(TOKEN, "10.0.0.1:1")).id().equals("t1"));
    }
}
