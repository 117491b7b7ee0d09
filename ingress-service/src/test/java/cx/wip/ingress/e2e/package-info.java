/** End to end: docker-compose through the real gateway, ingress-service, Caddy, curl over HTTPS. */
package cx.wip.ingress.e2e;
