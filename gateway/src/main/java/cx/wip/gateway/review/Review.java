package cx.wip.gateway.review;

import java.util.List;

/** The answer of a review: forward this (possibly rewritten) body, or refuse with a Docker-style error. */
public sealed interface Review {
    /**
     * @param body     the body to forward instead of the client's (re-serialised by the reviewer)
     * @param warnings lines for the create response's {@code Warnings}, shown by the CLI
     */
    record Allow(byte[] body, List<String> warnings) implements Review {
    }

    /**
     * @param status  HTTP status for the client
     * @param message one line saying what was refused and what to do instead
     */
    record Deny(int status, String message) implements Review {
    }
}
