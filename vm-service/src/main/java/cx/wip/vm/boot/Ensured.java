package cx.wip.vm.boot;

import java.util.List;

import cx.wip.vm.spi.DaemonEndpoint;

/**
 * The answer to an ensure.
 *
 * @param endpoint  where the daemon answers
 * @param booted    whether this ensure started it
 * @param restarted containers this ensure started again because the engine had been put to sleep with them running
 */
public record Ensured(DaemonEndpoint endpoint, boolean booted, List<String> restarted) {
    public Ensured {
        restarted = List.copyOf(restarted);
    }

    Ensured(DaemonEndpoint endpoint, boolean booted) {
        this(endpoint, booted, List.of());
    }
}
