/** auth-service: its main, its config and the server that exposes the gateway-facing and admin gRPC services. */
package cx.wip.auth;
