package cx.wip.gateway.quota;

/**
 * What a tenant uses now on its daemon, as sent to the policy with a container create or update.
 *
 * @param containers  the platform's containers on the daemon (those carrying the platform's memory label), running
 *                    or not
 * @param memoryBytes their memory limits ({@code HostConfig.Memory}, as the daemon enforces them now) added up; for an
 *                    update, without the memory of the container being updated
 */
public record Usage(int containers, long memoryBytes) {
}
