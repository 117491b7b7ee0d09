package cx.wip.gateway.review;

import java.util.Optional;

import cx.wip.gateway.identity.Tenant;

/** Tells what a tenant uses now, for the policy's quota check on container create. */
@FunctionalInterface
public interface UsageProbe {
    /** @return the usage, or empty when it cannot be told (the quota is then not checked) */
    Optional<Usage> usage(Tenant tenant);

    /**
     * @param containers  containers on the tenant's daemon, running or not
     * @param memoryBytes their memory limits added up
     */
    record Usage(int containers, long memoryBytes) {
    }
}
