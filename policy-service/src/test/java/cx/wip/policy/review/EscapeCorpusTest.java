package cx.wip.policy.review;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import cx.wip.gateway.review.ForwardedBodyCheck;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every raw-API case of the escape corpus is denied by the rules themselves, with its message; every case of the
 * accepted corpus passes as sent.
 */
class EscapeCorpusTest {

    static Stream<Arguments> apiCases() throws IOException {
        return corpus().stream().filter(c -> c[0].startsWith("api:"))
                .map(c -> Arguments.of(c[0].substring(4), c[1], c[2]));
    }

    static Stream<Arguments> acceptedCases() throws IOException {
        return corpus("/accepted-corpus.txt").stream().map(c -> Arguments.of(c[0].substring(4), c[1], c[2]));
    }

    static List<String[]> corpus() throws IOException {
        return corpus("/escape-corpus.txt");
    }

    private static List<String[]> corpus(String resource) throws IOException {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(
                EscapeCorpusTest.class.getResourceAsStream(resource), StandardCharsets.UTF_8))) {
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

    /** What stays inside the tenant's own engine passes — as sent — and the gateway's last check agrees. */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("acceptedCases")
    void allowsAcceptedCase_asSent(String operation, String sent, String kept) {
        Verdict verdict = TestPlans.review(Request.Operation.valueOf(operation), sent);

        assertThat(verdict).as(verdict.toString()).isInstanceOf(Verdict.Allow.class);
        byte[] body = ((Verdict.Allow) verdict).body();
        assertThat(new String(body, StandardCharsets.UTF_8)).contains(kept);
        assertThat(ForwardedBodyCheck.unsafe(cx.wip.gateway.review.Operation.valueOf(operation), body)).isEmpty();
    }
}
