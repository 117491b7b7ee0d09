/**
 * Quota decisions that hold under concurrency and never fail open: the tenant's usage read fresh from its own daemon
 * (through the gateway's daemon client, so unix, TCP and TLS daemons alike) for each container create and update, under
 * a per-tenant lock held until the daemon answered, and a refusal when the usage cannot be read.
 */
package cx.wip.gateway.quota;
