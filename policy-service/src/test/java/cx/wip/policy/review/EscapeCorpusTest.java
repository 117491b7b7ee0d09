package cx.wip.policy.review;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Every raw-API case of the escape corpus is denied by the rules themselves, with its message. */
class EscapeCorpusTest {

    static Stream<Arguments> apiCases() throws IOException {
        return corpus().stream().filter(c -> c[0].startsWith("api:"))
                .map(c -> Arguments.of(c[0].substring(4), c[1], c[2]));
    }

    static List<String[]> corpus() throws IOException {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(
                EscapeCorpusTest.class.getResourceAsStream("/escape-corpus.txt"), StandardCharsets.UTF_8))) {
            return reader.lines().filter(line -> !line.isBlank() && !line.startsWith("#"))
                    .map(line -> line.split(" \\| ", 3)).map(parts -> new String[] {parts[0].trim(),
                            parts[1].trim(), parts[2].trim()}).toList();
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("apiCases")
    void deniesApiCase_withItsMessage(String operation, String sent, String expected) {
        Request.Operation op = Request.Operation.valueOf(operation);
        boolean byQuery = op == Request.Operation.BUILD || op == Request.Operation.IMAGE_PULL;
        Verdict verdict = TestPlans.REVIEWS.review(new Request("test", op, byQuery ? sent : "",
                byQuery ? new byte[0] : sent.getBytes(StandardCharsets.UTF_8), Optional.empty()));

        assertThat(verdict).isInstanceOf(Verdict.Deny.class);
        Verdict.Deny deny = (Verdict.Deny) verdict;
        assertThat(deny.message()).startsWith("wip: ").contains(expected).doesNotContain("\n");
        assertThat(deny.status()).isIn(400, 403);
        assertThat(deny.rule()).matches("[a-z0-9_.]{2,40}");
    }
}
