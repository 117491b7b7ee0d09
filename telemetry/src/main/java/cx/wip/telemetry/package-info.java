/**
 * What every wip service shares to be observable: the request id and tenant id of the work in progress (carried in
 * the gRPC {@link io.grpc.Context}, copied to Helidon's MDC for the log formatter, sent over gRPC as metadata),
 * one-line JSON logs, and gRPC server metrics with bounded labels.
 */
package cx.wip.telemetry;
