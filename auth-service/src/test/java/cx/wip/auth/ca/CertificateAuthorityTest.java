package cx.wip.auth.ca;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import cx.wip.auth.domain.AuthException;
import cx.wip.auth.domain.CertificateIssuer;

import io.helidon.common.configurable.Resource;
import io.helidon.common.pki.Keys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CertificateAuthorityTest {
    @TempDir
    Path dir;

    private CertificateAuthority open(boolean create) {
        return CaFiles.open(new CaConfig(dir.resolve("ca"), "wip.example", create, Duration.ofDays(30)), Clock.systemUTC());
    }

    @Test
    void firstStart_createsCaAndServerFiles_keysPrivate() throws Exception {
        open(true);
        for (String name : List.of(CaFiles.CA_CERT, CaFiles.CA_KEY, CaFiles.SERVER_CERT, CaFiles.SERVER_KEY)) {
            assertThat(dir.resolve("ca").resolve(name)).exists();
        }
        assertThat(Files.getPosixFilePermissions(dir.resolve("ca").resolve(CaFiles.CA_KEY)))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        final String before = Files.readString(dir.resolve("ca").resolve(CaFiles.CA_CERT));
        open(true);
        assertThat(Files.readString(dir.resolve("ca").resolve(CaFiles.CA_CERT))).isEqualTo(before);
    }

    @Test
    void missingFiles_areAnError_whenCreationIsOff() {
        assertThatThrownBy(() -> open(false)).hasMessageContaining("create-missing is false");
    }

    @Test
    void serverCertificate_coversLocalhostLoopbackAndTheWildcard_andHelidonReadsIt() throws Exception {
        open(true);
        final Path ca = dir.resolve("ca");
        final X509Certificate server = Pem.readCertificate(Files.readString(ca.resolve(CaFiles.SERVER_CERT)));
        final X509Certificate root = Pem.readCertificate(Files.readString(ca.resolve(CaFiles.CA_CERT)));
        server.verify(root.getPublicKey());
        assertThat(server.getSubjectAlternativeNames().stream().map(n -> (Object) n.get(1)).toList())
                .containsExactlyInAnyOrder("localhost", "127.0.0.1", "wip.example", "*.wip.example");
        assertThat(server.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
        final Keys keys = Keys.builder().pem(pem -> pem.key(Resource.create(ca.resolve(CaFiles.SERVER_KEY)))
                .certChain(Resource.create(ca.resolve(CaFiles.SERVER_CERT)))).build();
        assertThat(keys.privateKey()).isPresent();
        assertThat(keys.certChain()).hasSize(1);
    }

    @Test
    void clientCertificate_carriesTheTenantId_isForClientAuth_andChainsToTheCa() throws Exception {
        final CertificateAuthority ca = open(true);
        final KeyPair keys = CaFiles.newKeyPair();
        final CertificateIssuer.IssuedCertificate issued = ca.issue("tn-abc", keys.getPublic().getEncoded());
        final X509Certificate client = Pem.readCertificate(issued.pem());
        client.verify(Pem.readCertificate(ca.caCertificatePem()).getPublicKey());
        assertThat(client.getSubjectX500Principal().getName()).contains("CN=tn-abc");
        assertThat(client.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.2");
        assertThat(client.getPublicKey()).isEqualTo(keys.getPublic());
        assertThat(issued.sha256()).isEqualTo(CertificateAuthority.sha256(client)).hasSize(64);
        assertThat(issued.serial()).isEqualTo(client.getSerialNumber().toString(16));
        assertThat(client.getNotAfter().toInstant().toEpochMilli()).isEqualTo(issued.notAfterMillis() / 1000 * 1000);
    }

    @Test
    void issuing_withoutAUsablePublicKey_isInvalid() {
        final CertificateAuthority ca = open(true);
        assertThatThrownBy(() -> ca.issue("tn-abc", new byte[0])).isInstanceOf(AuthException.Invalid.class);
        assertThatThrownBy(() -> ca.issue("tn-abc", new byte[] {1, 2, 3})).isInstanceOf(AuthException.Invalid.class);
    }
}
