package cx.wip.vm.spi;

import java.util.List;
import java.util.Set;

/**
 * Runs tenant Docker daemons. vm-service guarantees that at most one call per tenant is in flight at a time (a Redis
 * lease across replicas), but every operation must still be idempotent: a replica may die mid-boot and the next one
 * repeats the call. A failure must leave nothing behind that blocks the next attempt.
 */
public interface HypervisorBackend extends AutoCloseable {
    /**
     * Creates the tenant's daemon if missing, starts it if stopped, and returns once its Docker API answers.
     *
     * @return the endpoint, and whether a daemon was actually started (false when it was already running)
     * @throws BackendException when the daemon cannot be had
     */
    BootOutcome ensureRunning(TenantSpec tenant);

    /** Whether the daemon at {@code endpoint} answers its Docker API now (a short, bounded check). */
    boolean answers(String tenantId, DaemonEndpoint endpoint);

    /**
     * Whether the tenant's daemon still runs, answering or not (a busy one is waited for, a gone one replaced at
     * once); true when this backend cannot tell.
     */
    default boolean stillRuns(String tenantId) {
        return true;
    }

    /**
     * The ids of the containers the tenant's daemon runs now; empty when it runs none or is not running.
     *
     * @throws BackendException when it cannot tell (idle stop then leaves the tenant alone)
     */
    List<String> runningContainers(String tenantId);

    /**
     * Starts these containers of the tenant's running daemon again, as {@code docker start} does (waking an engine
     * that was put to sleep with them running). One that is gone or fails to start is skipped and logged.
     *
     * @return the ids that run now
     */
    List<String> startContainers(String tenantId, List<String> containerIds);

    /**
     * Freezes the processes of the tenant's containers where they are (light sleep: no CPU, memory kept); its daemon
     * keeps answering. Containers the user paused stay paused after {@link #thaw}.
     *
     * @return false when this backend cannot freeze this tenant's containers now (the engine is then stopped instead)
     */
    default boolean freeze(String tenantId) {
        return false;
    }

    /** Lets frozen containers run again (a tenant that is not frozen is fine). */
    default void thaw(String tenantId) {
    }

    /** Stops the tenant's daemon, keeping its data (thawing frozen containers first). A stopped or unknown tenant is fine. */
    void stop(String tenantId);

    /** Stops the tenant's daemon and removes everything made for it. An unknown tenant is fine. */
    void delete(String tenantId);

    /** The tenants this backend has something for (running or stopped). */
    Set<String> tenants();

    /** The backend's warm pool, when it keeps one. */
    default java.util.Optional<SpareEngines> spares() {
        return java.util.Optional.empty();
    }

    @Override
    default void close() {
    }
}
