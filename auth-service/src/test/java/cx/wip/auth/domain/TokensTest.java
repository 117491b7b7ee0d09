package cx.wip.auth.domain;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TokensTest {
    private static byte[] key(int fill) {
        final byte[] key = new byte[32];
        Arrays.fill(key, (byte) fill);
        return key;
    }

    @Test
    void token_fitsOneDnsLabel_andNamesItsCredential() {
        final String token = Tokens.newToken("abcdefghij");
        assertThat(token).hasSize(55).matches("[a-z0-9-]{1,63}").startsWith("wip-abcdefghij-");
        assertThat(Tokens.credentialId(token)).contains("cr-abcdefghij");
    }

    @Test
    void malformedTokens_nameNoCredential() {
        final String token = Tokens.newToken("abcdefghij");
        assertThat(Tokens.credentialId(null)).isEmpty();
        assertThat(Tokens.credentialId("")).isEmpty();
        assertThat(Tokens.credentialId(token.toUpperCase())).isEmpty();
        assertThat(Tokens.credentialId(token + "a")).isEmpty();
        assertThat(Tokens.credentialId(token.replace('-', '_'))).isEmpty();
        assertThat(Tokens.credentialId("wip-abcdefghij-" + "1".repeat(40))).isEmpty();
    }

    @Test
    void hash_isKeyed_andMatchesOnlyTheSameToken() {
        final Tokens tokens = Tokens.create(key(1));
        final String token = Tokens.newToken("abcdefghij");
        final String hash = tokens.hash(token);
        assertThat(hash).hasSize(64).doesNotContain(token.substring(15));
        assertThat(tokens.matches(token, hash)).isTrue();
        assertThat(tokens.matches(Tokens.newToken("abcdefghij"), hash)).isFalse();
        assertThat(Tokens.create(key(2)).hash(token)).isNotEqualTo(hash);
        assertThat(tokens.matches(token, "not hex")).isFalse();
    }

    @Test
    void tokens_areRandom() {
        assertThat(Tokens.newToken("abcdefghij")).isNotEqualTo(Tokens.newToken("abcdefghij"));
    }
}
