package cx.wip.gateway;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import cx.wip.testing.Run;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class CertificateBundleTest {
    private final CertificateBundle bundle = new CertificateBundle("CA\n", "CERT\n",
            CertificateBundle.privateKeyPem(CertificateBundle.newKeyPair()));

    @Test
    void tar_unpacksWithGnuTar_intoTheThreeFilesOfADockerContext_theKeyOwnerOnly(@TempDir Path dir) throws Exception {
        Path archive = dir.resolve("bundle.tar");
        Files.write(archive, bundle.tar());

        Run.of("tar", "-x", "-f", archive.toString(), "-C", dir.toString()).call().expectSuccess();

        assertThat(Files.readString(dir.resolve("ca.pem"))).isEqualTo("CA\n");
        assertThat(Files.readString(dir.resolve("cert.pem"))).isEqualTo("CERT\n");
        assertThat(Files.readString(dir.resolve("key.pem"))).startsWith("-----BEGIN PRIVATE KEY-----\n")
                .endsWith("-----END PRIVATE KEY-----\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("key.pem"))))
                .isEqualTo("rw-------");
    }

    @Test
    void json_namesTheFilesCaCertKey() {
        assertThat(new String(bundle.json(), StandardCharsets.UTF_8)).startsWith("{\"ca\":\"CA\\n\",\"cert\":\"CERT\\n\",\"key\":");
    }
}
