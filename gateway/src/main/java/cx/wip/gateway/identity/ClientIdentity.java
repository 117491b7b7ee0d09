package cx.wip.gateway.identity;

import java.util.Optional;

/**
 * What a request presents that may prove who it is; the gateway collects it, an {@link Authenticator} decides.
 *
 * @param certificateSha256 hex SHA-256 of the client certificate (DER), when the TLS listener verified one
 * @param certificateSerial hex serial of that certificate
 * @param bearerToken       the token of an {@code Authorization: Bearer} header
 * @param hostname          the Host header without port (key-in-hostname compatibility)
 * @param remoteAddress     the client's address (throttling), never used as identity
 */
public record ClientIdentity(Optional<String> certificateSha256,
                             Optional<String> certificateSerial,
                             Optional<String> bearerToken,
                             String hostname,
                             String remoteAddress) {
}
