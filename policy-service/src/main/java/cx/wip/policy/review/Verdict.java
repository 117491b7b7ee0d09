package cx.wip.policy.review;

import java.util.List;

/** The outcome of a review. */
public sealed interface Verdict {
    /**
     * @param body     the body to forward instead of the client's (empty for query-reviewed operations)
     * @param warnings one line each, for the create response's Warnings
     */
    record Allow(byte[] body, List<String> warnings) implements Verdict {
    }

    /**
     * @param status  HTTP status for the client
     * @param message one line: what was refused and what to do instead
     * @param rule    which rule refused (see {@link PolicyException#rule()}; {@code unknown_plan})
     */
    record Deny(int status, String message, String rule) implements Verdict {
    }
}
