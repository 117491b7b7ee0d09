/** The Traefik route backend: the KV tree Traefik's Redis provider watches, in Traefik's own Redis DB. */
package cx.wip.ingress.traefik;
