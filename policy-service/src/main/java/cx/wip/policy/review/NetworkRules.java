package cx.wip.policy.review;

import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import static cx.wip.policy.review.Context.refuse;

/**
 * Networks: bridge only, no options that reach host interfaces or another network's configuration. Subnets, static
 * addresses and MACs are routed and bridged inside the tenant's own network namespace only: any is the tenant's choice.
 */
final class NetworkRules {
    private static final Set<String> SAFE_OPTIONS = Set.of("com.docker.network.bridge.enable_icc",
            "com.docker.network.bridge.enable_ip_masquerade", "com.docker.network.driver.mtu");

    private NetworkRules() {
    }

    static void create(ObjectNode network, Context context) {
        String driver = Fields.text(network, "Driver");
        if (!driver.isEmpty() && !driver.equals("bridge")) {
            throw refuse("driver", driver, "only bridge networks are available; drop driver (or use bridge)");
        }
        String scope = Fields.text(network, "Scope");
        if (!scope.isEmpty() && !scope.equals("local")) {
            throw refuse("scope", scope, "networks are local to your daemon; drop scope");
        }
        for (String field : new String[] {"Ingress", "ConfigOnly", "ConfigFrom"}) {
            if (Fields.set(network.get(field))) {
                throw refuse(field.toLowerCase(Locale.ROOT), network.get(field).toString(), "only plain bridge "
                        + "networks are available; drop " + field.toLowerCase(Locale.ROOT));
            }
        }
        ObjectNode options = Fields.object(network, "Options");
        if (options != null) {
            options.fieldNames().forEachRemaining(name -> {
                if (!SAFE_OPTIONS.contains(name)) {
                    throw refuse("driver_opts", name + "=" + options.get(name).asText(), "network options that "
                            + "name host interfaces or addresses are not available; allowed: "
                            + String.join(", ", SAFE_OPTIONS.stream().sorted().toList()));
                }
            });
        }
        ipam(network);
        Labels.stripReserved(network, context);
    }

    private static void ipam(ObjectNode network) {
        ObjectNode ipam = Fields.object(network, "IPAM");
        if (ipam == null) {
            return;
        }
        String driver = Fields.text(ipam, "Driver");
        if (!driver.isEmpty() && !driver.equals("default")) {
            throw refuse("ipam.driver", driver, "only the default IPAM driver is available; drop ipam.driver");
        }
        if (Fields.set(ipam.get("Options"))) {
            throw refuse("ipam.options", ipam.get("Options").toString(), "IPAM options are not available; drop "
                    + "them");
        }
    }

    /** Checks the endpoint settings of create's NetworkingConfig and of network connect. */
    static void endpoints(ObjectNode networkingConfig) {
        ObjectNode endpoints = Fields.object(networkingConfig, "EndpointsConfig");
        if (endpoints == null) {
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = endpoints.fields(); it.hasNext(); ) {
            if (it.next().getValue() instanceof ObjectNode endpoint) {
                endpoint(endpoint);
            }
        }
    }

    /**
     * Static addresses and MACs are the tenant's own business on its own networks (the daemon checks them against the
     * network's subnet). Endpoint driver options are not: {@code com.docker.network.endpoint.sysctls} would set
     * sysctls past the container rules.
     */
    static void endpoint(ObjectNode endpoint) {
        if (Fields.set(endpoint.get("DriverOpts"))) {
            throw refuse("driver_opts", endpoint.get("DriverOpts").toString(), "endpoint driver options are not "
                    + "available; drop them");
        }
    }
}
