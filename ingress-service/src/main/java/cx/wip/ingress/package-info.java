/**
 * ingress-service: {@code com.wip.http} container labels become public HTTPS routes on a route backend (Caddy's admin
 * API or Traefik's Redis KV tree), and go away with their containers.
 */
package cx.wip.ingress;
