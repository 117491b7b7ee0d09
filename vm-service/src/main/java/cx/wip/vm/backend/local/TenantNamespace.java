package cx.wip.vm.backend.local;

import java.nio.file.Files;
import java.util.stream.Stream;

/**
 * A tenant's network namespace: {@code eth0} with the tenant's address on a veth whose host side is an isolated
 * port of the bridge (tenants cannot reach each other at layer 2), default route through the host.
 */
final class TenantNamespace {
    private static final java.util.regex.Pattern PID = java.util.regex.Pattern.compile("[0-9]{1,10}");
    private final LocalConfig config;

    TenantNamespace(LocalConfig config) {
        this.config = config;
    }

    /** Makes the namespace as it should be; a half-made one (a failed earlier attempt) is removed and remade. */
    void ensure(TenantPaths tenant, String address) {
        if (complete(tenant, address)) {
            disableIpv6(tenant);
            return;
        }
        delete(tenant);
        String ns = tenant.namespace();
        String veth = tenant.hostVeth();
        Commands.okWithInput(String.join("\n",
                                         "netns add " + ns,
                                         "link add " + veth + " type veth peer name eth0 netns " + ns,
                                         "link set " + veth + " master " + config.bridge()) + "\n",
                             "ip", "-batch", "-");
        disableIpv6(tenant);
        // isolated before up: not one frame may pass between tenants
        Commands.ok("bridge", "link", "set", "dev", veth, "isolated", "on");
        Commands.ok("ip", "link", "set", veth, "up");
        Commands.okWithInput(String.join("\n",
                                         "addr add " + address + "/" + config.subnet().prefix() + " dev eth0",
                                         "link set lo up",
                                         "link set eth0 up",
                                         "route add default via " + config.subnet().hostAddress()) + "\n",
                             "ip", "-n", ns, "-batch", "-");
    }

    /**
     * No IPv6 in a tenant's namespace: the walls ({@link HostNetwork}) are IPv4 rules, so IPv6 is off rather than
     * unwalled (/proc/sys/net is the namespace's own once entered). A host without IPv6 has nothing to switch off.
     */
    private static void disableIpv6(TenantPaths tenant) {
        if (Files.isDirectory(java.nio.file.Path.of("/proc/sys/net/ipv6"))) {
            Commands.ok("nsenter", "--net=" + tenant.namespaceFile(), "--", "sysctl", "-q", "-w",
                        "net.ipv6.conf.all.disable_ipv6=1", "net.ipv6.conf.default.disable_ipv6=1");
        }
    }

    void delete(TenantPaths tenant) {
        if (Files.exists(tenant.namespaceFile())) {
            Commands.run("ip", "netns", "del", tenant.namespace());
        }
        Commands.run("ip", "link", "del", tenant.hostVeth());
    }

    /** Pids of every process in the namespace (dockerd, containerd, shims, docker-proxy). */
    String[] pids(TenantPaths tenant) {
        if (!Files.exists(tenant.namespaceFile())) {
            return new String[0];
        }
        // numbers only: when the namespace goes away meanwhile, ip prints its complaint where the pids would be
        return Stream.of(Commands.run("ip", "netns", "pids", tenant.namespace()).output().strip().split("\\s+"))
                .filter(token -> PID.matcher(token).matches())
                .toArray(String[]::new);
    }

    private boolean complete(TenantPaths tenant, String address) {
        if (!Files.exists(tenant.namespaceFile())) {
            return false;
        }
        Commands.Result eth0 = Commands.run("ip", "-n", tenant.namespace(), "-4", "-o", "addr", "show", "dev", "eth0");
        Commands.Result port = Commands.run("ip", "-o", "link", "show", tenant.hostVeth());
        return eth0.ok() && eth0.output().contains(" " + address + "/")
               && port.ok() && port.output().contains("master " + config.bridge()) && port.output().contains("UP");
    }
}
