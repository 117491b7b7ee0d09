package cx.wip.policy.review;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Escapes the policy rewrites instead of refusing: the rewritten body must be safe ({@link SafeSet}) and must pass
 * the rules again unchanged.
 */
class RewriteReviewTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Each allowed; the comment says what the old code let through. */
    @ParameterizedTest
    @ValueSource(strings = {
            // rshared propagation of the host's root: BindOptions dropped with the rewrite
            "{\"Image\":\"x\",\"HostConfig\":{\"Mounts\":[{\"Type\":\"bind\",\"Source\":\"/\",\"Target\":\"/h\","
                    + "\"BindOptions\":{\"Propagation\":\"rshared\"}}]}}",
            "{\"Image\":\"x\",\"HostConfig\":{\"Mounts\":[{\"Type\":\"BIND\",\"Source\":\"/srv\",\"Target\":\"/h\","
                    + "\"VolumeOptions\":null}]}}",
            "{\"Image\":\"x\",\"HostConfig\":{\"Binds\":[\"/:/host:ro,rshared\",\"/srv/data/:/d\"]}}",
            // size=0 is an unlimited tmpfs to the kernel (old: kept)
            "{\"Image\":\"x\",\"HostConfig\":{\"Tmpfs\":{\"/t\":\"size=0\",\"/u\":\"nr_blocks=0\"}}}",
            "{\"Image\":\"x\",\"HostConfig\":{\"Mounts\":[{\"Type\":\"tmpfs\",\"Target\":\"/t\",\"TmpfsOptions\":"
                    + "{\"Mode\":1777,\"Options\":[[\"noexec\"]]}}]}}",
            // a platform label on the volume a mount creates (old: kept)
            "{\"Image\":\"x\",\"HostConfig\":{\"Mounts\":[{\"Type\":\"volume\",\"Source\":\"v\",\"Target\":\"/v\","
                    + "\"VolumeOptions\":{\"Labels\":{\"CX.WIP.memory\":\"0\",\"a\":\"b\"}}}]}}",
            "{\"Image\":\"x\",\"Labels\":{\"cx.wip.memory\":\"1\",\"Wip.tenant\":\"other\"}}"})
    void rewritesIntoASafeBody_thatPassesTheRulesAgainUnchanged(String body) throws Exception {
        Verdict.Allow allow = allow(Request.Operation.CONTAINER_CREATE, body);

        assertThat(SafeSet.violations(Request.Operation.CONTAINER_CREATE, allow.body())).isEmpty();
        Verdict again = TestPlans.REVIEWS.review(new Request("test", Request.Operation.CONTAINER_CREATE, "",
                allow.body(), Optional.empty()));
        assertThat(again).isInstanceOf(Verdict.Allow.class);
        assertThat(((Verdict.Allow) again).body()).isEqualTo(allow.body());
        String out = new String(allow.body(), StandardCharsets.UTF_8);
        assertThat(out).doesNotContain("BindOptions", "size=0", "CX.WIP", "wip.tenant", "Wip.tenant");
    }

    @Test
    void tmpfsOfSizeZero_getsThePlansSize() throws Exception {
        JsonNode hc = JSON.readTree(allow(Request.Operation.CONTAINER_CREATE,
                "{\"Image\":\"x\",\"HostConfig\":{\"Tmpfs\":{\"/t\":\"rw,size=0\"}}}").body()).get("HostConfig");

        assertThat(hc.get("Tmpfs").get("/t").asText()).isEqualTo("rw,size=64m");
    }

    private static Verdict.Allow allow(Request.Operation operation, String body) {
        Verdict verdict = TestPlans.review(operation, body);
        assertThat(verdict).as(verdict.toString()).isInstanceOf(Verdict.Allow.class);
        return (Verdict.Allow) verdict;
    }
}
