package cx.wip.auth.domain;

import java.util.Objects;

/**
 * A credential as stored: never its secret, only a keyed hash of a token.
 *
 * @param id                credential id ({@code cr-…})
 * @param tenantId          owner
 * @param kind              token or certificate
 * @param label             operator label
 * @param createdMillis     issue time
 * @param revokedMillis     revocation time, 0 while valid
 * @param tokenHash         hex keyed hash of the token secret (tokens only, else empty)
 * @param certificateSha256 hex SHA-256 of the certificate DER (certificates only, else empty)
 * @param certificateSerial hex serial (certificates only, else empty)
 * @param notAfterMillis    certificate expiry (certificates only, else 0)
 */
public record CredentialRecord(String id,
                               String tenantId,
                               CredentialKind kind,
                               String label,
                               long createdMillis,
                               long revokedMillis,
                               String tokenHash,
                               String certificateSha256,
                               String certificateSerial,
                               long notAfterMillis) {
    public CredentialRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(kind, "kind");
        label = label == null ? "" : label;
        tokenHash = tokenHash == null ? "" : tokenHash;
        certificateSha256 = certificateSha256 == null ? "" : certificateSha256;
        certificateSerial = certificateSerial == null ? "" : certificateSerial;
    }

    public boolean revoked() {
        return revokedMillis > 0;
    }

    CredentialRecord revokedAt(long millis) {
        return new CredentialRecord(id, tenantId, kind, label, createdMillis, millis, tokenHash,
                                    certificateSha256, certificateSerial, notAfterMillis);
    }
}
