package cx.wip.vm.boot;

import java.util.Optional;

import cx.wip.vm.spi.DaemonEndpoint;

/**
 * What Redis holds about one tenant.
 *
 * @param tenantId       tenant id
 * @param state          lifecycle state
 * @param endpoint       the daemon, when running
 * @param epoch          fencing epoch of the last writer
 * @param boots          how many times a daemon was actually started
 * @param lastActivity   last reported API activity, epoch millis (0 = none)
 * @param updated        last state change, epoch millis
 * @param error          last boot error
 * @param plan           plan last ensured with
 * @param diskBytes      disk size the backend enforces, as of the last boot or adoption (0 = none)
 * @param engineId       the tenant's engine as last recorded, kept while it is stopped ("" = none recorded)
 */
public record TenantRecord(String tenantId,
                           State state,
                           Optional<DaemonEndpoint> endpoint,
                           long epoch,
                           long boots,
                           long lastActivity,
                           long updated,
                           String error,
                           String plan,
                           long diskBytes,
                           String engineId) {
    boolean running() {
        return state == State.RUNNING && endpoint.isPresent();
    }
}
