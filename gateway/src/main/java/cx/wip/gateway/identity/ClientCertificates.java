package cx.wip.gateway.identity;

/**
 * Issues a client certificate to the tenant a request's own credential proves (self-service: a tenant holding only a
 * token gets a docker context). Implementations never take a tenant name from the caller.
 */
public interface ClientCertificates {
    /**
     * @param identity     what the request presented (the certificate goes to the tenant this proves)
     * @param publicKeyDer the new key pair's public key (X.509 SubjectPublicKeyInfo, DER)
     * @throws cx.wip.gateway.GatewayException 401 when the credential proves no tenant, 503 when auth is unavailable
     */
    Issued issue(ClientIdentity identity, byte[] publicKeyDer);

    /** A signed client certificate and the CA that signed it (which also signed the gateway's server certificate). */
    record Issued(String caPem, String certificatePem) {
    }
}
