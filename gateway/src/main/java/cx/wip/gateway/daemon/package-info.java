/**
 * A small HTTP/1.1 client to a Docker daemon over a unix socket or TCP: raw heads, chunk passthrough, half-close,
 * keep-alive pooling. Simpler and more faithful for a proxy than a general HTTP client.
 */
package cx.wip.gateway.daemon;
