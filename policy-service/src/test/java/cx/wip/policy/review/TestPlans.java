package cx.wip.policy.review;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;

import cx.wip.policy.plan.Plans;

/** The test plan ({@code test-policy.yaml}): 1 CPU, 512 MiB, 256 pids, 3 containers, 1 GiB in all. */
final class TestPlans {
    static final Reviews REVIEWS = new Reviews(Plans.create(
            Config.just(ConfigSources.classpath("test-policy.yaml").build()).get("policy")));

    private TestPlans() {
    }

    static Verdict review(Request.Operation operation, String body) {
        return REVIEWS.review(new Request("test", operation, "", body.getBytes(StandardCharsets.UTF_8),
                Optional.empty()));
    }
}
