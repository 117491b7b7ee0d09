package cx.wip.auth.domain;

/** Signs tenant client certificates; implemented by the CA. */
public interface CertificateIssuer {

    /**
     * Signs a client certificate for {@code tenantId} over the given public key.
     *
     * @throws AuthException.Invalid when the key cannot be read or is not allowed
     */
    IssuedCertificate issue(String tenantId, byte[] publicKeyDer);

    /** The CA certificate, PEM. */
    String caCertificatePem();

    /**
     * A signed certificate.
     *
     * @param pem            the certificate, PEM
     * @param sha256         lowercase hex SHA-256 of its DER
     * @param serial         lowercase hex serial
     * @param notAfterMillis expiry
     */
    record IssuedCertificate(String pem, String sha256, String serial, long notAfterMillis) {
    }
}
