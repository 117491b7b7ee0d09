package cx.wip.wipctl;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;

/**
 * A client-certificate bundle as the docker CLI reads it: {@code ca.pem}, {@code cert.pem}, {@code key.pem}.
 * The key pair is made here; only the public key goes to auth-service.
 */
final class Bundle {
    static final String CA = "ca.pem";
    static final String CERT = "cert.pem";
    static final String KEY = "key.pem";

    private Bundle() {
    }

    /** A fresh EC P-256 key pair. */
    static KeyPair newKeyPair() {
        try {
            final KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate an EC P-256 key", e);
        }
    }

    /** Writes the three files into {@code dir} (created), the key readable only by its owner. */
    static Path write(Path dir, String caPem, String certPem, KeyPair keys) {
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(CA), caPem);
            Files.writeString(dir.resolve(CERT), certPem);
            final Path key = dir.resolve(KEY);
            Files.deleteIfExists(key);
            Files.createFile(key, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            final String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(keys.getPrivate().getEncoded());
            Files.writeString(key, "-----BEGIN PRIVATE KEY-----\n" + body + "\n-----END PRIVATE KEY-----\n");
            return dir.toAbsolutePath();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the certificate bundle to " + dir.toAbsolutePath(), e);
        }
    }
}
