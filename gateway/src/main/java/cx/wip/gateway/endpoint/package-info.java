/** Where a tenant's Docker daemon is: the address the gateway forwards to. */
package cx.wip.gateway.endpoint;
