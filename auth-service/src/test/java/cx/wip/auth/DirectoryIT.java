package cx.wip.auth;

import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;

import cx.wip.auth.ca.CaConfig;
import cx.wip.auth.ca.CaFiles;
import cx.wip.auth.ca.CertificateAuthority;
import cx.wip.auth.domain.AuthException;
import cx.wip.auth.domain.Authentication;
import cx.wip.auth.domain.CredentialKind;
import cx.wip.auth.domain.Directory;
import cx.wip.auth.domain.TenantRecord;
import cx.wip.auth.domain.Tokens;
import cx.wip.auth.store.RedisStore;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The directory's rules against a real Redis. */
class DirectoryIT {
    private static RedisProcess redis;
    private static CertificateAuthority ca;

    @TempDir
    static Path caDir;

    private RedisStore store;
    private Directory directory;

    @BeforeAll
    static void startRedis() {
        redis = RedisProcess.start();
        ca = CaFiles.open(new CaConfig(caDir, "wip.localhost", true, Duration.ofDays(1)), Clock.systemUTC());
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    @BeforeEach
    void open() {
        store = RedisStore.connect(redis.uri(), redis.prefix());
        directory = newDirectory(store);
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    private static Directory newDirectory(RedisStore store) {
        final byte[] key = new byte[32];
        Arrays.fill(key, (byte) 7);
        return new Directory(store, Tokens.create(key), ca, Clock.systemUTC());
    }

    private static String slug(String base) {
        return base + "-" + Long.toString(System.nanoTime(), 36);
    }

    @Test
    void tenant_isFoundByIdAndSlug_andSlugsAreUnique() {
        final String slug = slug("alice");
        final TenantRecord alice = directory.createTenant(slug, "hobby");
        assertThat(alice.id()).startsWith("tn-");
        assertThat(directory.tenant(slug)).isEqualTo(alice);
        assertThat(directory.tenant(alice.id())).isEqualTo(alice);
        assertThat(directory.tenants()).contains(alice);
        assertThatThrownBy(() -> directory.createTenant(slug, "pro")).isInstanceOf(AuthException.AlreadyExists.class);
        assertThatThrownBy(() -> directory.tenant("nobody")).isInstanceOf(AuthException.NotFound.class)
                .hasMessage("no tenant 'nobody'");
    }

    @Test
    void badSlugsAndPlans_areInvalid() {
        for (String bad : new String[] {"A", "x", "-x", "x-", "tn-abc", "a.b", "a b", "é"}) {
            assertThatThrownBy(() -> directory.createTenant(bad, "hobby")).isInstanceOf(AuthException.Invalid.class);
        }
        assertThatThrownBy(() -> directory.createTenant(slug("ok"), "Big Plan")).isInstanceOf(AuthException.Invalid.class);
    }

    @Test
    void token_provesItsTenant_untilRevoked_andOnlyItsHashIsStored() {
        final TenantRecord t = directory.createTenant(slug("tok"), "hobby");
        final Directory.IssuedToken issued = directory.issueToken(t.id(), "laptop");
        assertThat(directory.authenticateToken(issued.token())).isEqualTo(new Authentication.Proven(t));
        assertThat(issued.credential().tokenHash()).hasSize(64).doesNotContain(issued.token());
        assertThat(directory.credentials(t.slug())).extracting(c -> c.kind()).containsExactly(CredentialKind.TOKEN);

        final String wrongSecret = issued.token().substring(0, 15) + "a".repeat(40);
        assertThat(directory.authenticateToken(wrongSecret))
                .isEqualTo(new Authentication.Denied(Authentication.Reason.UNKNOWN_CREDENTIAL));
        assertThat(directory.authenticateToken("garbage"))
                .isEqualTo(new Authentication.Denied(Authentication.Reason.UNKNOWN_CREDENTIAL));

        directory.revoke(issued.credential().id());
        assertThat(directory.authenticateToken(issued.token()))
                .isEqualTo(new Authentication.Denied(Authentication.Reason.REVOKED));
        assertThat(directory.authenticateToken(wrongSecret))
                .isEqualTo(new Authentication.Denied(Authentication.Reason.UNKNOWN_CREDENTIAL));
    }

    @Test
    void disablingATenant_stopsAllItsCredentials_butNotOthers() throws Exception {
        final TenantRecord bob = directory.createTenant(slug("bob"), "hobby");
        final TenantRecord carol = directory.createTenant(slug("carol"), "hobby");
        final String bobToken = directory.issueToken(bob.slug(), "").token();
        final String carolToken = directory.issueToken(carol.slug(), "").token();
        final Directory.IssuedCertificate bobCert = directory.issueCertificate(
                bob.slug(), newPublicKey(), "");
        directory.disable(bob.slug());
        assertThat(directory.tenant(bob.id()).disabled()).isTrue();
        assertThat(directory.authenticateToken(bobToken))
                .isEqualTo(new Authentication.Denied(Authentication.Reason.TENANT_DISABLED));
        assertThat(directory.authenticateCertificate(bobCert.credential().certificateSha256(),
                                                     bobCert.credential().certificateSerial()))
                .isEqualTo(new Authentication.Denied(Authentication.Reason.TENANT_DISABLED));
        assertThat(directory.authenticateToken(carolToken)).isInstanceOf(Authentication.Proven.class);
    }

    @Test
    void certificate_provesItsTenant_andARevokedSerialIsRefused() throws Exception {
        final TenantRecord t = directory.createTenant(slug("cert"), "hobby");
        final Directory.IssuedCertificate issued = directory.issueCertificate(t.id(), newPublicKey(), "ci");
        final String sha = issued.credential().certificateSha256();
        final String serial = issued.credential().certificateSerial();
        assertThat(directory.authenticateCertificate(sha, serial)).isEqualTo(new Authentication.Proven(t));
        assertThat(directory.authenticateCertificate(sha, "00" + serial.toUpperCase()))
                .isEqualTo(new Authentication.Proven(t));
        assertThat(directory.authenticateCertificate("ab".repeat(32), "1"))
                .isEqualTo(new Authentication.Denied(Authentication.Reason.UNKNOWN_CREDENTIAL));
        directory.revoke(issued.credential().id());
        assertThat(directory.authenticateCertificate(sha, serial))
                .isEqualTo(new Authentication.Denied(Authentication.Reason.REVOKED));
        assertThat(directory.authenticateCertificate(sha, ""))
                .isEqualTo(new Authentication.Denied(Authentication.Reason.REVOKED));
    }

    @Test
    void state_survivesANewStoreConnection() {
        final TenantRecord t = directory.createTenant(slug("keep"), "pro");
        final String token = directory.issueToken(t.id(), "").token();
        try (RedisStore other = RedisStore.connect(redis.uri(), redis.prefix())) {
            final Directory again = newDirectory(other);
            assertThat(again.tenant(t.slug())).isEqualTo(t);
            assertThat(again.authenticateToken(token)).isEqualTo(new Authentication.Proven(t));
        }
    }

    private static byte[] newPublicKey() throws Exception {
        final KeyPair pair = java.security.KeyPairGenerator.getInstance("EC").generateKeyPair();
        return pair.getPublic().getEncoded();
    }
}
