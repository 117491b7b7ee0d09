package cx.wip.auth.domain;

/** The answer to "which tenant does this credential prove?". */
public sealed interface Authentication {

    /** The credential proves this tenant. */
    record Proven(TenantRecord tenant) implements Authentication {
    }

    /** The credential proves nothing, for this reason. */
    record Denied(Reason reason) implements Authentication {
    }

    /** Why a credential was denied. */
    enum Reason {
        UNKNOWN_CREDENTIAL,
        REVOKED,
        TENANT_DISABLED
    }
}
