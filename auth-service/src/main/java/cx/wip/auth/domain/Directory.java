package cx.wip.auth.domain;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Tenants and their credentials: create, find, disable, issue, revoke, and authenticate a credential.
 * Never logs, and never puts a credential in an exception message.
 */
public final class Directory {
    static final String TENANT_PREFIX = "tn-";
    static final String CREDENTIAL_PREFIX = "cr-";

    private static final Pattern SLUG = Pattern.compile("[a-z][a-z0-9-]{0,30}[a-z0-9]");
    private static final Pattern PLAN = Pattern.compile("[a-z0-9][a-z0-9-]{0,31}");
    private static final Pattern HEX = Pattern.compile("[0-9a-f]{1,64}");

    private final Store store;
    private final Tokens tokens;
    private final CertificateIssuer issuer;
    private final Clock clock;

    public Directory(Store store, Tokens tokens, CertificateIssuer issuer, Clock clock) {
        this.store = store;
        this.tokens = tokens;
        this.issuer = issuer;
        this.clock = clock;
    }

    /** A token and the credential it belongs to; the token exists only in this object. */
    public record IssuedToken(CredentialRecord credential, String token) {
    }

    /** A certificate and the credential it belongs to. */
    public record IssuedCertificate(CredentialRecord credential, String certificatePem, String caCertificatePem) {
    }

    public TenantRecord createTenant(String slug, String plan) {
        if (slug == null || !SLUG.matcher(slug).matches() || slug.startsWith(TENANT_PREFIX)) {
            throw new AuthException.Invalid("slug '" + slug + "' must be 2-32 lowercase letters, digits or hyphens, "
                                                    + "start with a letter, end with a letter or digit, and not start with 'tn-'");
        }
        if (plan == null || !PLAN.matcher(plan).matches()) {
            throw new AuthException.Invalid("plan '" + plan + "' must be lowercase letters, digits or hyphens");
        }
        final TenantRecord tenant = new TenantRecord(TENANT_PREFIX + Ids.random(12), slug, plan, clock.millis(), 0);
        if (!store.insertTenant(tenant)) {
            throw new AuthException.AlreadyExists("a tenant with slug '" + slug + "' already exists");
        }
        return tenant;
    }

    /** Finds a tenant by id ({@code tn-…}) or slug. */
    public TenantRecord tenant(String idOrSlug) {
        final Optional<String> id = idOrSlug != null && idOrSlug.startsWith(TENANT_PREFIX)
                ? Optional.of(idOrSlug)
                : Optional.ofNullable(idOrSlug).flatMap(store::tenantIdBySlug);
        return id.flatMap(store::tenantById)
                .orElseThrow(() -> new AuthException.NotFound("no tenant '" + idOrSlug + "'"));
    }

    public List<TenantRecord> tenants() {
        return store.tenants();
    }

    public TenantRecord disable(String idOrSlug) {
        final TenantRecord tenant = tenant(idOrSlug);
        if (tenant.disabled()) {
            return tenant;
        }
        final TenantRecord disabled = new TenantRecord(tenant.id(), tenant.slug(), tenant.plan(),
                                                       tenant.createdMillis(), clock.millis());
        store.updateTenant(disabled);
        return disabled;
    }

    /** Moves a tenant to another plan; the same plan again changes nothing. */
    public TenantRecord setPlan(String idOrSlug, String plan) {
        if (plan == null || !PLAN.matcher(plan).matches()) {
            throw new AuthException.Invalid("plan '" + plan + "' must be lowercase letters, digits or hyphens");
        }
        final TenantRecord tenant = tenant(idOrSlug);
        if (tenant.plan().equals(plan)) {
            return tenant;
        }
        final TenantRecord moved = new TenantRecord(tenant.id(), tenant.slug(), plan, tenant.createdMillis(),
                                                    tenant.disabledMillis());
        store.updateTenant(moved);
        return moved;
    }

    public IssuedToken issueToken(String idOrSlug, String label) {
        final TenantRecord tenant = tenant(idOrSlug);
        final String suffix = Ids.random(Tokens.ID_LENGTH);
        final String token = Tokens.newToken(suffix);
        final CredentialRecord credential = new CredentialRecord(CREDENTIAL_PREFIX + suffix, tenant.id(),
                                                                 CredentialKind.TOKEN, label, clock.millis(), 0,
                                                                 tokens.hash(token), "", "", 0);
        store.insertCredential(credential);
        return new IssuedToken(credential, token);
    }

    public IssuedCertificate issueCertificate(String idOrSlug, byte[] publicKeyDer, String label) {
        final TenantRecord tenant = tenant(idOrSlug);
        final CertificateIssuer.IssuedCertificate signed = issuer.issue(tenant.id(), publicKeyDer);
        final CredentialRecord credential = new CredentialRecord(CREDENTIAL_PREFIX + Ids.random(Tokens.ID_LENGTH),
                                                                 tenant.id(), CredentialKind.CERTIFICATE, label,
                                                                 clock.millis(), 0, "", signed.sha256(),
                                                                 signed.serial(), signed.notAfterMillis());
        store.insertCredential(credential);
        return new IssuedCertificate(credential, signed.pem(), issuer.caCertificatePem());
    }

    public List<CredentialRecord> credentials(String idOrSlug) {
        return store.credentials(tenant(idOrSlug).id());
    }

    public CredentialRecord revoke(String credentialId) {
        final CredentialRecord credential = store.credential(credentialId)
                .orElseThrow(() -> new AuthException.NotFound("no credential '" + credentialId + "'"));
        if (credential.revoked()) {
            return credential;
        }
        final CredentialRecord revoked = credential.revokedAt(clock.millis());
        store.revokeCredential(revoked);
        return revoked;
    }

    /** Bearer token and host key: the same token, presented two ways. */
    public Authentication authenticateToken(String token) {
        final Optional<CredentialRecord> credential = Tokens.credentialId(token).flatMap(store::credential)
                .filter(c -> c.kind() == CredentialKind.TOKEN && tokens.matches(token, c.tokenHash()));
        return credential.map(this::tenantOf).orElse(denied(Authentication.Reason.UNKNOWN_CREDENTIAL));
    }

    /** A client certificate the gateway verified against our CA, by fingerprint, checked against the revocation list. */
    public Authentication authenticateCertificate(String sha256, String serial) {
        if (sha256 == null || !HEX.matcher(sha256).matches()) {
            return denied(Authentication.Reason.UNKNOWN_CREDENTIAL);
        }
        final String normalisedSerial = normaliseSerial(serial);
        if (!normalisedSerial.isEmpty() && store.serialRevoked(normalisedSerial)) {
            return denied(Authentication.Reason.REVOKED);
        }
        return store.credentialIdByCertificate(sha256)
                .flatMap(store::credential)
                .map(this::tenantOf)
                .orElse(denied(Authentication.Reason.UNKNOWN_CREDENTIAL));
    }

    private Authentication tenantOf(CredentialRecord credential) {
        if (credential.revoked()) {
            return denied(Authentication.Reason.REVOKED);
        }
        final Optional<TenantRecord> tenant = store.tenantById(credential.tenantId());
        if (tenant.isEmpty()) {
            return denied(Authentication.Reason.UNKNOWN_CREDENTIAL);
        }
        if (tenant.get().disabled()) {
            return denied(Authentication.Reason.TENANT_DISABLED);
        }
        return new Authentication.Proven(tenant.get());
    }

    private static String normaliseSerial(String serial) {
        if (serial == null || !HEX.matcher(serial.toLowerCase()).matches()) {
            return "";
        }
        final String stripped = serial.toLowerCase().replaceFirst("^0+(?=.)", "");
        return stripped;
    }

    private static Authentication denied(Authentication.Reason reason) {
        return new Authentication.Denied(reason);
    }
}
