package cx.wip.auth.domain;

/** The kinds of credential a tenant can hold. */
public enum CredentialKind {
    /** A random token: a bearer token, and usable as a host key. */
    TOKEN,
    /** A client certificate signed by our CA. */
    CERTIFICATE
}
