package cx.wip.policy.review;

/**
 * What a tenant uses now, as the gateway saw it on the tenant's daemon.
 *
 * @param containers  containers, running or not
 * @param memoryBytes their memory limits added up
 */
public record Usage(int containers, long memoryBytes) {
}
