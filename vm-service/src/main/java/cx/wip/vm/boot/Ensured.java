package cx.wip.vm.boot;

import cx.wip.vm.spi.DaemonEndpoint;

/**
 * The answer to an ensure.
 *
 * @param endpoint where the daemon answers
 * @param booted   whether this ensure started it
 */
public record Ensured(DaemonEndpoint endpoint, boolean booted) {
}
