package cx.wip.gateway.review;

import java.util.Optional;

import cx.wip.gateway.identity.Tenant;

/** Where the gateway learns a tenant's plan limits (policy-service, cached). */
@FunctionalInterface
public interface PlanLimitsSource {
    /** @return the limits, or empty when they cannot be had now */
    Optional<PlanLimits> limits(Tenant tenant);
}
