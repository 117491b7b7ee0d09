package cx.wip.ingress.docker;

import java.util.Map;

/**
 * What ingress needs to know about a container.
 *
 * @param id             full id
 * @param name           name without the leading slash
 * @param labels         labels
 * @param running        true while running
 * @param publishedPorts container tcp port → host port (IPv4 binding)
 * @param ip             the container's address on its (first) network, empty if none
 */
public record ContainerState(String id, String name, Map<String, String> labels, boolean running,
                             Map<Integer, Integer> publishedPorts, String ip) {
    public ContainerState {
        labels = Map.copyOf(labels);
        publishedPorts = Map.copyOf(publishedPorts);
    }
}
