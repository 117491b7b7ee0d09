package cx.wip.ingress;

import cx.wip.ingress.docker.ContainerState;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Turns a tenant's containers into routes: running containers with a valid {@code com.wip.http} label, each name
 * reached through the port the container publishes on the tenant's public address (or the container's own address
 * where the backend may dial it). Pure: ownership questions are answered by the caller.
 */
final class RoutePlanner {
    private final String baseDomain;
    private final boolean directContainerNetwork;

    RoutePlanner(String baseDomain, boolean directContainerNetwork) {
        this.baseDomain = baseDomain;
        this.directContainerNetwork = directContainerNetwork;
    }

    /**
     * @param verified  is this custom domain verified for the tenant?
     * @param available may the tenant use this host (nobody else holds it)?
     */
    Plan plan(TenantRef tenant, List<ContainerState> containers, Predicate<String> verified,
              Predicate<String> available) {
        List<Binding> bindings = new ArrayList<>();
        List<Plan.Skip> skipped = new ArrayList<>();
        for (ContainerState container : containers) {
            String label = container.labels().get(HttpLabel.KEY);
            if (label == null || !container.running()) {
                continue;
            }
            try {
                for (HttpTarget target : HttpLabel.parse(label)) {
                    String host = target.host(tenant.slug(), baseDomain);
                    String problem = problem(target, host, container, verified, available);
                    if (problem != null) {
                        skipped.add(new Plan.Skip(container.id(), problem));
                    } else {
                        bindings.add(new Binding(host, container.id(), target.port(), upstream(tenant, container,
                                target.port())));
                    }
                }
            } catch (InvalidLabelException e) {
                skipped.add(new Plan.Skip(container.id(), e.getMessage()));
            }
        }
        return new Plan(bindings, skipped);
    }

    /** @return why the target cannot be routed, or null */
    private String problem(HttpTarget target, String host, ContainerState container, Predicate<String> verified,
                           Predicate<String> available) {
        if (target.customDomain() && underBaseDomain(host)) {
            return underBaseMessage(host);
        }
        if (target.customDomain() && !verified.test(host)) {
            return "custom domain " + host + " is not verified";
        }
        if (!available.test(host)) {
            return "host " + host + " belongs to another tenant";
        }
        if (upstream(null, container, target.port()) == null) {
            return "container " + container.name() + " does not publish port " + target.port()
                    + ": add ports: [\"" + target.port() + "\"] so " + host + " can reach it";
        }
        return null;
    }

    boolean underBaseDomain(String host) {
        return host.equals(baseDomain) || host.endsWith("." + baseDomain);
    }

    String underBaseMessage(String host) {
        return "host " + host + " is under " + baseDomain + ": write only the first name (e.g. \"web:80\" for "
                + "web.<your slug>." + baseDomain + ")";
    }

    /** @return the upstream, or null when the port is neither published nor directly reachable */
    private String upstream(TenantRef tenant, ContainerState container, int port) {
        Integer published = container.publishedPorts().get(port);
        if (published != null) {
            return tenant == null ? "" : tenant.publicAddress() + ":" + published;
        }
        if (directContainerNetwork && !container.ip().isEmpty()) {
            return container.ip() + ":" + port;
        }
        return null;
    }
}
