package cx.wip.ingress;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The routes a tenant's containers ask for, and the labels that could not become routes.
 *
 * @param bindings container behind host, sorted by host
 * @param skipped  labels left out, with the reason
 */
public record Plan(List<Binding> bindings, List<Skip> skipped) {
    public Plan {
        bindings = bindings.stream().sorted((a, b) -> a.host().equals(b.host())
                ? a.containerId().compareTo(b.containerId()) : a.host().compareTo(b.host())).toList();
        skipped = List.copyOf(skipped);
    }

    /**
     * @param containerId container carrying the label
     * @param reason      one line
     */
    public record Skip(String containerId, String reason) {
    }

    /** @return one backend route per host, with every upstream of that host */
    public List<Route> routes() {
        Map<String, List<String>> upstreams = new TreeMap<>();
        bindings.forEach(b -> upstreams.computeIfAbsent(b.host(), h -> new ArrayList<>()).add(b.upstream()));
        return upstreams.entrySet().stream().map(e -> new Route(e.getKey(), e.getValue())).toList();
    }
}
