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
 */
public record TenantSpec(String id, String plan, long memoryBytes, double cpus, long diskBytes) {
    public TenantSpec {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(plan, "plan");
    }

    /** A spec without limits (tests, static daemons). */
    public static TenantSpec unlimited(String id) {
        return new TenantSpec(id, "default", 0, 0, 0);
    }
}
