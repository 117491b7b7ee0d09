package cx.wip.auth.ca;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.logging.Logger;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Loads the CA from its files, creating absent ones when allowed: {@code ca.pem}, {@code ca-key.pem} (the CA),
 * {@code server.pem}, {@code server-key.pem} (the gateway's TLS identity, signed by the CA). Keys are EC P-256,
 * PKCS#8, readable only by the owner.
 */
public final class CaFiles {
    public static final String CA_CERT = "ca.pem";
    public static final String CA_KEY = "ca-key.pem";
    public static final String SERVER_CERT = "server.pem";
    public static final String SERVER_KEY = "server-key.pem";

    private static final Logger LOGGER = Logger.getLogger(CaFiles.class.getName());
    private static final Duration CA_VALIDITY = Duration.ofDays(3650);
    private static final Duration SERVER_VALIDITY = Duration.ofDays(825);

    private CaFiles() {
    }

    /** The CA described by {@code config}, its files created first if absent and allowed. */
    public static CertificateAuthority open(CaConfig config, Clock clock) {
        try {
            final Path dir = config.dir();
            final Path caCert = dir.resolve(CA_CERT);
            final Path caKey = dir.resolve(CA_KEY);
            if (!Files.exists(caCert) || !Files.exists(caKey)) {
                requireCreation(config, caCert);
                Files.createDirectories(dir);
                createCa(caCert, caKey, clock);
                LOGGER.info("created a new CA in " + dir.toAbsolutePath());
            }
            final CertificateAuthority ca = new CertificateAuthority(Pem.readCertificate(Files.readString(caCert)),
                                                                     Pem.readPrivateKey(Files.readString(caKey)),
                                                                     config.clientValidity(), clock);
            final Path serverCert = dir.resolve(SERVER_CERT);
            final Path serverKey = dir.resolve(SERVER_KEY);
            if (!Files.exists(serverCert) || !Files.exists(serverKey)) {
                requireCreation(config, serverCert);
                final KeyPair pair = newKeyPair();
                writeKey(serverKey, pair.getPrivate());
                Files.writeString(serverCert, Pem.certificate(ca.serverCertificate(pair.getPublic(), config.domain(),
                                                                                    SERVER_VALIDITY)));
                LOGGER.info("created the gateway server certificate " + serverCert.toAbsolutePath()
                                    + " for localhost, 127.0.0.1 and *." + config.domain());
            }
            return ca;
        } catch (IOException | GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("cannot open the CA in " + config.dir().toAbsolutePath() + ": " + e.getMessage(), e);
        }
    }

    static KeyPair newKeyPair() throws GeneralSecurityException {
        final KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    private static void requireCreation(CaConfig config, Path missing) {
        if (!config.createMissing()) {
            throw new IllegalStateException(missing.toAbsolutePath() + " is missing and auth.ca.create-missing is false");
        }
    }

    private static void createCa(Path certFile, Path keyFile, Clock clock)
            throws GeneralSecurityException, IOException, OperatorCreationException {
        final KeyPair pair = newKeyPair();
        final X500Name name = new X500Name("CN=wip CA,O=wip");
        final Instant now = clock.instant();
        final X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                name, new BigInteger(127, new SecureRandom()).add(BigInteger.ONE), Date.from(now.minusSeconds(300)),
                Date.from(now.plus(CA_VALIDITY)), name, pair.getPublic());
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        builder.addExtension(Extension.subjectKeyIdentifier, false,
                             new JcaX509ExtensionUtils().createSubjectKeyIdentifier(pair.getPublic()));
        final X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));
        writeKey(keyFile, pair.getPrivate());
        Files.writeString(certFile, Pem.certificate(certificate));
    }

    private static void writeKey(Path file, PrivateKey key) throws IOException {
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, Pem.privateKey(key));
    }
}
