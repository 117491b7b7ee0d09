package cx.wip.auth.domain;

import java.util.List;
import java.util.Optional;

/**
 * Where tenants and credentials live. One implementation (Redis); the interface keeps the rules in
 * {@link Directory} free of storage detail.
 */
public interface Store {
    /** Stores a new tenant; false when its slug is taken (nothing stored then). */
    boolean insertTenant(TenantRecord tenant);

    Optional<TenantRecord> tenantById(String id);

    Optional<String> tenantIdBySlug(String slug);

    /** All tenants, oldest first. */
    List<TenantRecord> tenants();

    void updateTenant(TenantRecord tenant);

    void insertCredential(CredentialRecord credential);

    Optional<CredentialRecord> credential(String id);

    Optional<String> credentialIdByCertificate(String sha256);

    /** A tenant's credentials, oldest first. */
    List<CredentialRecord> credentials(String tenantId);

    /** Marks a credential revoked; a certificate's serial joins the revocation list. */
    void revokeCredential(CredentialRecord revoked);

    boolean serialRevoked(String serial);
}
