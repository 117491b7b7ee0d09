/**
 * What keeps one tenant from starving or crashing the gateway for the others: per-tenant caps on concurrent
 * exchanges, a budget for bytes held in memory, and the deadline for a request head.
 */
package cx.wip.gateway.limits;
