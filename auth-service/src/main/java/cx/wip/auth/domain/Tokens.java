package cx.wip.auth.domain;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Optional;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Token format and keyed hashing.
 * <p>
 * A token is {@code wip-<credential suffix>-<secret>}: 10 + 40 lowercase base32 characters (200 random bits of
 * secret), 55 characters in all, so it also fits one DNS label and works as a host key. The credential suffix
 * finds the stored record; only an HMAC-SHA256 of the whole token (keyed by a server secret) is stored, and the
 * comparison is constant-time.
 */
public final class Tokens {
    static final String PREFIX = "wip-";
    static final int ID_LENGTH = 10;
    static final int SECRET_LENGTH = 40;
    static final int TOKEN_LENGTH = PREFIX.length() + ID_LENGTH + 1 + SECRET_LENGTH;

    private final SecretKeySpec key;

    private Tokens(byte[] key) {
        if (key.length < 32) {
            throw new IllegalArgumentException("token hashing key must be at least 32 bytes, got " + key.length);
        }
        this.key = new SecretKeySpec(key.clone(), "HmacSHA256");
    }

    public static Tokens create(byte[] hmacKey) {
        return new Tokens(hmacKey);
    }

    /** A fresh token for the credential with id {@code cr-<suffix>}. */
    static String newToken(String credentialSuffix) {
        return PREFIX + credentialSuffix + "-" + Ids.random(SECRET_LENGTH);
    }

    /** The credential id a well-formed token names; empty for anything else. */
    static Optional<String> credentialId(String token) {
        if (token == null || token.length() != TOKEN_LENGTH || !token.startsWith(PREFIX)
                || token.charAt(PREFIX.length() + ID_LENGTH) != '-') {
            return Optional.empty();
        }
        final String suffix = token.substring(PREFIX.length(), PREFIX.length() + ID_LENGTH);
        final String secret = token.substring(PREFIX.length() + ID_LENGTH + 1);
        if (!Ids.isBase32(suffix) || !Ids.isBase32(secret)) {
            return Optional.empty();
        }
        return Optional.of(Directory.CREDENTIAL_PREFIX + suffix);
    }

    /** Hex HMAC-SHA256 of the token. */
    String hash(String token) {
        return HexFormat.of().formatHex(mac(token));
    }

    /** Whether {@code token} hashes to {@code storedHexHash}, compared in constant time. */
    boolean matches(String token, String storedHexHash) {
        final byte[] stored;
        try {
            stored = HexFormat.of().parseHex(storedHexHash);
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(mac(token), stored);
    }

    private byte[] mac(String token) {
        try {
            final Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(token.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
