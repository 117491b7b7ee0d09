package cx.wip.vm.spi;

/**
 * @param endpoint  where the daemon answers
 * @param booted    true when this call started it, false when it was running already (adopted)
 * @param diskBytes the disk size the backend enforces for the tenant's data, 0 when it enforces none
 */
public record BootOutcome(DaemonEndpoint endpoint, boolean booted, long diskBytes) {
    /** An outcome without a disk limit. */
    public BootOutcome(DaemonEndpoint endpoint, boolean booted) {
        this(endpoint, booted, 0);
    }
}
