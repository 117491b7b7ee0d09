/**
 * The one way into a Docker daemon, for every service: {@link cx.wip.docker.DaemonTransport} (unix, TCP, TLS) opens
 * byte streams, {@link cx.wip.docker.DaemonConnection} speaks HTTP/1.1 over one of them with raw access for hijacks and
 * half-close (the gateway's forwarder, pooled by {@link cx.wip.docker.DaemonClient}), and
 * {@link cx.wip.docker.DockerEngine} is the thin typed API of the few calls vm-service and ingress-service make.
 */
package cx.wip.docker;
