package cx.wip.vm.backend.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The host side every tenant shares: the bridge (tenant ports isolated from each other) and the firewall walls.
 * <ul>
 *     <li>INPUT from the bridge: only replies (tenants never reach the host's services: Redis, gRPC, admin ports)</li>
 *     <li>FORWARD into the bridge: only replies (nothing routes into a tenant; ingress connects from the host)</li>
 *     <li>FORWARD out of the bridge: DNS to the host's resolvers, never the platform's networks, else the world</li>
 *     <li>tenant to tenant: dropped (ports are also isolated on the bridge)</li>
 *     <li>NAT: tenants leave the host masqueraded</li>
 * </ul>
 * Rules live in chains of our own, jumped to from INPUT, FORWARD and POSTROUTING, and removed by {@link #teardown}.
 */
final class HostNetwork {
    private final LocalConfig config;
    private final HostLock lock;

    HostNetwork(LocalConfig config, HostLock lock) {
        this.config = config;
        this.lock = lock;
    }

    String inputChain() {
        return "WIP-" + config.bridge() + "-IN";
    }

    String forwardChain() {
        return "WIP-" + config.bridge() + "-FWD";
    }

    String natChain() {
        return "WIP-" + config.bridge() + "-NAT";
    }

    /** Creates the bridge and the rules when missing; leaves what exists. */
    void ensure() {
        lock.run(() -> {
            ensureBridge();
            ensureFirewall();
        });
    }

    /** Removes the rules and the bridge (after every tenant is gone). */
    void teardown() {
        lock.run(() -> {
            removeJump("filter", "INPUT", "-i", config.bridge(), "-j", inputChain());
            removeJump("filter", "FORWARD", "-i", config.bridge(), "-j", forwardChain());
            removeJump("filter", "FORWARD", "-o", config.bridge(), "-j", forwardChain());
            removeJump("nat", "POSTROUTING", "-s", config.subnet().toString(), "!", "-o", config.bridge(),
                       "-j", natChain());
            for (String[] chain : List.of(new String[] {"filter", inputChain()}, new String[] {"filter", forwardChain()},
                                          new String[] {"nat", natChain()})) {
                Commands.run("iptables", "-w", "-t", chain[0], "-F", chain[1]);
                Commands.run("iptables", "-w", "-t", chain[0], "-X", chain[1]);
            }
            Commands.run("ip", "link", "del", config.bridge());
        });
    }

    private void ensureBridge() {
        if (Commands.run("ip", "link", "show", config.bridge()).ok()) {
            return;
        }
        Commands.ok("ip", "link", "add", config.bridge(), "type", "bridge");
        Commands.ok("ip", "addr", "add", config.subnet().hostAddress() + "/" + config.subnet().prefix(),
                    "dev", config.bridge());
        Commands.ok("ip", "link", "set", config.bridge(), "up");
    }

    private void ensureFirewall() {
        String bridge = config.bridge();
        chain("filter", inputChain());
        rule("filter", inputChain(), "-m", "conntrack", "--ctstate", "ESTABLISHED,RELATED", "-j", "ACCEPT");
        rule("filter", inputChain(), "-j", "DROP");

        chain("filter", forwardChain());
        rule("filter", forwardChain(), "-i", bridge, "-o", bridge, "-j", "DROP");
        rule("filter", forwardChain(), "-o", bridge, "-m", "conntrack", "--ctstate", "ESTABLISHED,RELATED",
             "-j", "ACCEPT");
        rule("filter", forwardChain(), "-o", bridge, "-j", "DROP");
        for (String resolver : resolvers()) {
            rule("filter", forwardChain(), "-i", bridge, "-d", resolver, "-p", "udp", "--dport", "53", "-j", "ACCEPT");
            rule("filter", forwardChain(), "-i", bridge, "-d", resolver, "-p", "tcp", "--dport", "53", "-j", "ACCEPT");
        }
        for (String network : config.blockedNetworks()) {
            rule("filter", forwardChain(), "-i", bridge, "-d", network, "-j", "DROP");
        }
        rule("filter", forwardChain(), "-i", bridge, "-j", "ACCEPT");

        chain("nat", natChain());
        rule("nat", natChain(), "-j", "MASQUERADE");

        jump("filter", "INPUT", "-i", bridge, "-j", inputChain());
        jump("filter", "FORWARD", "-i", bridge, "-j", forwardChain());
        jump("filter", "FORWARD", "-o", bridge, "-j", forwardChain());
        jump("nat", "POSTROUTING", "-s", config.subnet().toString(), "!", "-o", bridge, "-j", natChain());
    }

    /** The host's IPv4 resolvers: tenant daemons forward their containers' DNS to them. */
    private static List<String> resolvers() {
        List<String> resolvers = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(Path.of("/etc/resolv.conf"))) {
                String[] words = line.trim().split("\\s+");
                if (words.length >= 2 && words[0].equals("nameserver") && words[1].matches("[0-9.]+")
                    && !words[1].startsWith("127.")) {
                    resolvers.add(words[1]);
                }
            }
        } catch (IOException ignored) {
            // no resolv.conf: no DNS exception to add
        }
        return resolvers;
    }

    private static void chain(String table, String chain) {
        if (!Commands.run("iptables", "-w", "-t", table, "-n", "-L", chain).ok()) {
            Commands.ok("iptables", "-w", "-t", table, "-N", chain);
        }
    }

    private static void rule(String table, String chain, String... spec) {
        if (!Commands.run(iptables(table, "-C", chain, spec)).ok()) {
            Commands.ok(iptables(table, "-A", chain, spec));
        }
    }

    private static void jump(String table, String chain, String... spec) {
        if (!Commands.run(iptables(table, "-C", chain, spec)).ok()) {
            String[] insert = iptables(table, "-I", chain, spec);
            List<String> withPosition = new ArrayList<>(List.of(insert));
            withPosition.add(6, "1");
            Commands.ok(withPosition.toArray(String[]::new));
        }
    }

    private static void removeJump(String table, String chain, String... spec) {
        while (Commands.run(iptables(table, "-D", chain, spec)).ok()) {
            // a jump inserted twice (two processes racing before the lock existed) goes too
        }
    }

    private static String[] iptables(String table, String op, String chain, String... spec) {
        List<String> command = new ArrayList<>(List.of("iptables", "-w", "-t", table, op, chain));
        command.addAll(List.of(spec));
        return command.toArray(String[]::new);
    }
}
