/** The request path: a client exchange forwarded to a tenant's daemon — streamed, or hijacked into a byte pipe. */
package cx.wip.gateway.proxy;
