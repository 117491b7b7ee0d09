/** gRPC services: translate proto to domain calls and back; errors become a Status in one place ({@link cx.wip.auth.grpc.Errors}). */
package cx.wip.auth.grpc;
