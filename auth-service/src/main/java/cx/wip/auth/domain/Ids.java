package cx.wip.auth.domain;

import java.security.SecureRandom;

/** Random lowercase base32 strings: safe in hostnames, ids and tokens alike. */
final class Ids {
    private static final char[] ALPHABET = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private Ids() {
    }

    /** {@code length} characters, 5 random bits each. */
    static String random(int length) {
        final byte[] bytes = new byte[length];
        RANDOM.nextBytes(bytes);
        final char[] chars = new char[length];
        for (int i = 0; i < length; i++) {
            chars[i] = ALPHABET[bytes[i] & 31];
        }
        return new String(chars);
    }

    static boolean isBase32(String s) {
        for (int i = 0; i < s.length(); i++) {
            final char c = s.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= '2' && c <= '7'))) {
                return false;
            }
        }
        return true;
    }
}
