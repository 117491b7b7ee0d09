package cx.wip.auth.ca;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;

import cx.wip.auth.domain.AuthException;
import cx.wip.auth.domain.CertificateIssuer;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Signs certificates with the CA key: tenant client certificates (tenant id in the subject CN, clientAuth) and
 * the gateway's server certificate. The revocation list lives in the store, keyed by serial.
 */
public final class CertificateAuthority implements CertificateIssuer {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final X509Certificate caCertificate;
    private final PrivateKey caKey;
    private final Duration clientValidity;
    private final Clock clock;

    CertificateAuthority(X509Certificate caCertificate, PrivateKey caKey, Duration clientValidity, Clock clock) {
        this.caCertificate = caCertificate;
        this.caKey = caKey;
        this.clientValidity = clientValidity;
        this.clock = clock;
    }

    @Override
    public IssuedCertificate issue(String tenantId, byte[] publicKeyDer) {
        final PublicKey publicKey = readPublicKey(publicKeyDer);
        final Instant now = clock.instant();
        final Instant notAfter = now.plus(clientValidity);
        try {
            final X509v3CertificateBuilder builder = builder(new X500Name("CN=" + tenantId + ",O=wip tenants"),
                                                             publicKey, now, notAfter);
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
            final X509Certificate certificate = sign(builder);
            return new IssuedCertificate(Pem.certificate(certificate), sha256(certificate),
                                         certificate.getSerialNumber().toString(16), notAfter.toEpochMilli());
        } catch (GeneralSecurityException | OperatorCreationException | java.io.IOException e) {
            throw new IllegalStateException("cannot sign client certificate", e);
        }
    }

    @Override
    public String caCertificatePem() {
        return Pem.certificate(caCertificate);
    }

    /** A server certificate for the gateway: localhost, 127.0.0.1, {@code domain} and {@code *.domain}. */
    X509Certificate serverCertificate(PublicKey publicKey, String domain, Duration validity)
            throws GeneralSecurityException, OperatorCreationException, java.io.IOException {
        final Instant now = clock.instant();
        final X509v3CertificateBuilder builder = builder(new X500Name("CN=wip gateway"), publicKey, now, now.plus(validity));
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
        builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
        final List<GeneralName> names = List.of(new GeneralName(GeneralName.dNSName, "localhost"),
                                                new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
                                                new GeneralName(GeneralName.dNSName, domain),
                                                new GeneralName(GeneralName.dNSName, "*." + domain));
        builder.addExtension(Extension.subjectAlternativeName, false,
                             new GeneralNames(names.toArray(GeneralName[]::new)));
        return sign(builder);
    }

    /** Lowercase hex SHA-256 of the certificate's DER: the fingerprint the gateway sends. */
    public static String sha256(X509Certificate certificate) throws GeneralSecurityException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
    }

    private X509v3CertificateBuilder builder(X500Name subject, PublicKey publicKey, Instant from, Instant to)
            throws GeneralSecurityException, java.io.IOException {
        final X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                caCertificate, new BigInteger(127, RANDOM).add(BigInteger.ONE),
                Date.from(from.minusSeconds(300)), Date.from(to), subject, publicKey);
        final JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
        builder.addExtension(Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(publicKey));
        builder.addExtension(Extension.authorityKeyIdentifier, false, extensions.createAuthorityKeyIdentifier(caCertificate));
        return builder;
    }

    private X509Certificate sign(X509v3CertificateBuilder builder) throws GeneralSecurityException, OperatorCreationException {
        return new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(caKey)));
    }

    private static PublicKey readPublicKey(byte[] der) {
        if (der == null || der.length == 0) {
            throw new AuthException.Invalid("a certificate needs the client's public key (X.509 SubjectPublicKeyInfo, DER)");
        }
        final X509EncodedKeySpec spec = new X509EncodedKeySpec(der);
        for (String algorithm : List.of("EC", "RSA")) {
            try {
                final PublicKey key = KeyFactory.getInstance(algorithm).generatePublic(spec);
                if (key instanceof RSAPublicKey rsa && rsa.getModulus().bitLength() < 2048) {
                    throw new AuthException.Invalid("RSA public keys must have at least 2048 bits");
                }
                return key;
            } catch (GeneralSecurityException e) {
                // try the next algorithm
            }
        }
        throw new AuthException.Invalid("the public key is neither an EC nor an RSA SubjectPublicKeyInfo");
    }
}
