package cx.wip.gateway.lifecycle;

import cx.wip.gateway.identity.Tenant;

/**
 * A container lifecycle change the gateway saw succeed on a tenant's daemon.
 *
 * @param tenant      whose container
 * @param containerId id or name as the client sent it
 * @param action      create, start, stop, restart, kill, remove…
 */
public record ContainerEvent(Tenant tenant, String containerId, String action) {
}
