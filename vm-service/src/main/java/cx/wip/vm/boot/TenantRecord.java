package cx.wip.vm.boot;

import java.util.List;
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
 * @param lastHttp       last reported HTTP hit on one of its routes, epoch millis (0 = none)
 * @param lastSession    last report of an open session, epoch millis (0 = none)
 * @param asleep         when {@link State#ASLEEP}: the containers to start again on wake
 * @param frozen         when {@link State#ASLEEP}: a light sleep (the engine runs, its containers are frozen)
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
                           String engineId,
                           long lastHttp,
                           long lastSession,
                           List<String> asleep,
                           boolean frozen) {
    public TenantRecord {
        asleep = List.copyOf(asleep);
    }

    boolean running() {
        return state == State.RUNNING && endpoint.isPresent();
    }

    /** The last time anyone used the engine: an API call, an open session, an HTTP hit, or its last state change. */
    long lastUse() {
        return Math.max(Math.max(lastActivity, updated), Math.max(lastHttp, lastSession));
    }
}
