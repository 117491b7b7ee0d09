/** The Caddy route backend: one route per {@code @id} through Caddy's admin API, certificates on demand. */
package cx.wip.ingress.caddy;
