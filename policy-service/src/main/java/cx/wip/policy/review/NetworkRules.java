package cx.wip.policy.review;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import static cx.wip.policy.review.Context.refuse;

/**
 * Networks: bridge only, no options that reach host interfaces, private subnets only; container endpoints
 * without static addresses, MACs or driver options (the daemon assigns them).
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
        JsonNode configs = ipam.get("Config");
        if (configs == null || !configs.isArray()) {
            return;
        }
        for (JsonNode config : configs) {
            if (config instanceof ObjectNode pool) {
                for (String field : new String[] {"Subnet", "IPRange"}) {
                    String cidr = Fields.text(pool, field);
                    if (!cidr.isEmpty() && !isPrivate(cidr)) {
                        throw refuse("ipam.config." + field.toLowerCase(Locale.ROOT), cidr, "subnets must be "
                                + "private (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16 or fd00::/8)");
                    }
                }
            }
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

    static void endpoint(ObjectNode endpoint) {
        ObjectNode ipam = Fields.object(endpoint, "IPAMConfig");
        if (ipam != null) {
            for (String field : new String[] {"IPv4Address", "IPv6Address", "LinkLocalIPs"}) {
                if (Fields.set(ipam.get(field))) {
                    throw refuse(field.equals("IPv4Address") ? "ipv4_address" : field.equals("IPv6Address")
                            ? "ipv6_address" : "link_local_ips", Fields.text(ipam, field), "addresses are "
                            + "assigned by the network; drop the static address and reach the container by its name");
                }
            }
        }
        for (String field : new String[] {"IPAddress", "GlobalIPv6Address"}) {
            if (Fields.set(endpoint.get(field))) {
                throw refuse("ip", Fields.text(endpoint, field), "addresses are assigned by the network; drop it");
            }
        }
        if (Fields.set(endpoint.get("MacAddress"))) {
            throw refuse("mac_address", Fields.text(endpoint, "MacAddress"), "MAC addresses are assigned by the "
                    + "network; drop mac_address");
        }
        if (Fields.set(endpoint.get("DriverOpts"))) {
            throw refuse("driver_opts", endpoint.get("DriverOpts").toString(), "endpoint driver options are not "
                    + "available; drop them");
        }
    }

    static boolean isPrivate(String cidr) {
        String address = cidr.contains("/") ? cidr.substring(0, cidr.indexOf('/')) : cidr;
        int prefix;
        try {
            prefix = cidr.contains("/") ? Integer.parseInt(cidr.substring(cidr.indexOf('/') + 1)) : 128;
        } catch (NumberFormatException e) {
            return false;
        }
        // literals only: never a name lookup
        if (!address.matches("\\d{1,3}(\\.\\d{1,3}){3}") && !address.matches("[0-9a-fA-F:]*:[0-9a-fA-F:]*")) {
            return false;
        }
        byte[] bytes;
        try {
            bytes = InetAddress.getByName(address).getAddress();
        } catch (UnknownHostException e) {
            return false;
        }
        if (bytes.length == 16) {
            return prefix >= 8 && (bytes[0] & 0xff) == 0xfd;
        }
        int a = bytes[0] & 0xff;
        int b = bytes[1] & 0xff;
        return (a == 10 && prefix >= 8) || (a == 172 && b >= 16 && b <= 31 && prefix >= 12)
                || (a == 192 && b == 168 && prefix >= 16);
    }
}
