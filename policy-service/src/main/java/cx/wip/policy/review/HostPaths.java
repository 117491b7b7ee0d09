package cx.wip.policy.review;

import java.util.ArrayDeque;
import java.util.Deque;

import static cx.wip.policy.review.Context.refuse;

/**
 * Host paths as the kernel resolves them. A bind source is never mounted (it becomes a volume), but the Docker
 * socket gets a plain refusal — the user asked for the one thing that owns the host — and {@code //}, {@code .},
 * {@code ..} and a trailing slash must not hide it from that refusal.
 */
final class HostPaths {
    private HostPaths() {
    }

    static void refuseSocket(String source, String spec) {
        String path = normalise(source);
        if (path.endsWith("/docker.sock") || path.endsWith("/containerd.sock") || path.equals("docker.sock")
                || path.equals("containerd.sock")) {
            throw refuse("volumes", spec, "the Docker socket of the host is never mounted into containers; "
                    + "drop this volume");
        }
    }

    /** Lexical clean-up like Go's filepath.Clean: no empty, "." or ".." elements, no trailing slash. */
    static String normalise(String path) {
        Deque<String> kept = new ArrayDeque<>();
        for (String element : path.split("/")) {
            if (element.isEmpty() || element.equals(".")) {
                continue;
            }
            if (element.equals("..")) {
                kept.pollLast();
            } else {
                kept.addLast(element);
            }
        }
        return (path.startsWith("/") ? "/" : "") + String.join("/", kept);
    }
}
