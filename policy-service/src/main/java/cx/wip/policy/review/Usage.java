package cx.wip.policy.review;

/**
 * What a tenant uses now, as the gateway saw it on the tenant's daemon.
 *
 * @param containers  containers, running or not
 * @param memoryBytes their memory limits added up; for an update, without the container being updated
 */
public record Usage(int containers, long memoryBytes) {
}
