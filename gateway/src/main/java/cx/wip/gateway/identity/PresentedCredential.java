package cx.wip.gateway.identity;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;

import cx.wip.proto.auth.v1.AuthenticateRequest;
import cx.wip.proto.auth.v1.CertificateCredential;

/**
 * The one credential a request is judged by, chosen in order: client certificate, bearer token, key in hostname.
 * {@link #toString()} never shows a secret.
 */
sealed interface PresentedCredential {
    /** Never used itself: each digest is a clone. */
    MessageDigest SHA256 = sha256();


    /** The request to auth-service. */
    AuthenticateRequest request();

    /** The cache key: a digest, so no raw token is kept as a map key. */
    String cacheKey();

    /** A TLS client certificate the listener verified. */
    record Certificate(String sha256, String serial) implements PresentedCredential {
        @Override
        public AuthenticateRequest request() {
            return AuthenticateRequest.newBuilder()
                    .setCertificate(CertificateCredential.newBuilder().setSha256(sha256).setSerial(serial))
                    .build();
        }

        @Override
        public String cacheKey() {
            return "c:" + sha256;
        }
    }

    /** An {@code Authorization: Bearer} token. */
    record Bearer(String token) implements PresentedCredential {
        @Override
        public AuthenticateRequest request() {
            return AuthenticateRequest.newBuilder().setBearerToken(token).build();
        }

        @Override
        public String cacheKey() {
            return "b:" + digest(token);
        }

        @Override
        public String toString() {
            return "Bearer[redacted]";
        }
    }

    /** The first label of {@code <key>.<domain>}. */
    record HostKey(String key) implements PresentedCredential {
        @Override
        public AuthenticateRequest request() {
            return AuthenticateRequest.newBuilder().setHostKey(key).build();
        }

        @Override
        public String cacheKey() {
            return "h:" + digest(key);
        }

        @Override
        public String toString() {
            return "HostKey[redacted]";
        }
    }

    /** The credential to judge, or empty when the request presents none. */
    static Optional<PresentedCredential> of(ClientIdentity identity, AuthSettings settings) {
        if (identity.certificateSha256().filter(s -> !s.isBlank()).isPresent()) {
            return Optional.of(new Certificate(identity.certificateSha256().get().toLowerCase(Locale.ROOT),
                                               identity.certificateSerial().orElse("").toLowerCase(Locale.ROOT)));
        }
        final Optional<String> bearer = identity.bearerToken().map(String::strip).filter(s -> !s.isEmpty());
        if (bearer.isPresent()) {
            return Optional.of(new Bearer(bearer.get()));
        }
        if (settings.hostKeyEnabled() && identity.hostname() != null) {
            final String host = identity.hostname().toLowerCase(Locale.ROOT);
            final String suffix = "." + settings.hostKeyDomain();
            if (host.endsWith(suffix)) {
                final String key = host.substring(0, host.length() - suffix.length());
                if (!key.isEmpty() && key.indexOf('.') < 0) {
                    return Optional.of(new HostKey(key));
                }
            }
        }
        return Optional.empty();
    }

    private static String digest(String secret) {
        try {
            // a clone of a ready instance: the provider lookup of getInstance ran on every request
            MessageDigest sha256 = (MessageDigest) SHA256.clone();
            return HexFormat.of().formatHex(sha256.digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("SHA-256 cannot be cloned", e);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }
}
