package cx.wip.policy.review;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code docker update -m} counts toward the plan's total memory like create does: the gateway sends the memory
 * of the tenant's other containers, and the update's (clamped) memory is added to it.
 */
class UpdateQuotaTest {

    @Test
    void refusesUpdate_beyondTheMemoryQuota_withTheNumbers() {
        Verdict verdict = update("{\"Memory\":536870912}", new Usage(3, 768L << 20));

        assertThat(verdict).isEqualTo(new Verdict.Deny(409, "wip: this update's memory 512MiB would bring your "
                + "containers to 1.25GiB (the others have 768MiB); plan test allows 1GiB in all — remove a container "
                + "or ask for less memory (docker update -m)", "quota"));
    }

    @Test
    void countsTheClampedMemory_onUpdate() {
        Verdict verdict = update("{\"memory\":4294967296}", new Usage(2, 600L << 20));

        assertThat(((Verdict.Deny) verdict).message()).contains("this update's memory 512MiB would bring your "
                + "containers to 1.09GiB (the others have 600MiB)");
    }

    @Test
    void allowsUpdate_withinTheQuota_orWithoutMemory_orWithoutUsage() {
        assertThat(update("{\"Memory\":268435456}", new Usage(3, 768L << 20))).isInstanceOf(Verdict.Allow.class);
        assertThat(update("{\"NanoCpus\":500000000}", new Usage(3, 1L << 30))).isInstanceOf(Verdict.Allow.class);
        assertThat(TestPlans.review(Request.Operation.CONTAINER_UPDATE, "{\"Memory\":536870912}"))
                .isInstanceOf(Verdict.Allow.class);
    }

    private static Verdict update(String body, Usage usage) {
        return TestPlans.REVIEWS.review(new Request("test", Request.Operation.CONTAINER_UPDATE, "",
                body.getBytes(StandardCharsets.UTF_8), Optional.of(usage)));
    }
}
