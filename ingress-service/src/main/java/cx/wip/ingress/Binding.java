package cx.wip.ingress;

/**
 * One container behind one public host.
 *
 * @param host          public host
 * @param containerId   container id
 * @param containerPort port named in the label
 * @param upstream      {@code host:port} the backend dials
 */
public record Binding(String host, String containerId, int containerPort, String upstream) {
}
