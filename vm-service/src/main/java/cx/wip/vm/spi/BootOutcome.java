package cx.wip.vm.spi;

/**
 * @param endpoint where the daemon answers
 * @param booted   true when this call started it, false when it was running already (adopted)
 */
public record BootOutcome(DaemonEndpoint endpoint, boolean booted) {
}
