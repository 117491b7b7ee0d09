package cx.wip.vm.spi;

import java.util.Objects;

/**
 * What a backend needs to boot a tenant: who, and the plan's limits.
 *
 * @param id          tenant id (letters, digits, '_' and '-')
 * @param plan        plan name
 * @param memoryBytes memory for all of the tenant's containers (0 = unlimited)
 * @param cpus        CPUs for all of the tenant's containers (0 = unlimited)
 * @param diskBytes   disk for the tenant's data where the backend can enforce it (0 = unlimited)
 * @param engineId    the engine id recorded for the tenant ({@link DaemonEndpoint#engineId()}), "" when none is (a
 *                    first boot, a record from before identities): a backend that checks identities must not adopt
 *                    a daemon with another id
 */
public record TenantSpec(String id, String plan, long memoryBytes, double cpus, long diskBytes, String engineId) {
    public TenantSpec {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(plan, "plan");
        Objects.requireNonNull(engineId, "engineId");
    }

    /** A spec with no engine recorded yet. */
    public TenantSpec(String id, String plan, long memoryBytes, double cpus, long diskBytes) {
        this(id, plan, memoryBytes, cpus, diskBytes, "");
    }

    /** This spec, expecting the engine recorded for the tenant. */
    public TenantSpec withEngineId(String recorded) {
        return new TenantSpec(id, plan, memoryBytes, cpus, diskBytes, recorded);
    }

    /** A spec without limits (tests, static daemons). */
    public static TenantSpec unlimited(String id) {
        return new TenantSpec(id, "default", 0, 0, 0);
    }
}
