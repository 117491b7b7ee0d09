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

    /**
     * Creates the bridge when missing and puts the walls back as they should be (also to re-assert them: see
     * {@link WallKeeper}).
     */
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

    /**
     * Our chains are rebuilt in one {@code iptables-restore --noflush} transaction (declaring a chain flushes it), so
     * a rule someone deleted or reordered comes back in its place and there is never a moment without the walls;
     * then the jumps into them are made the first rules of INPUT, FORWARD and POSTROUTING again.
     */
    private void ensureFirewall() {
        Commands.okWithInput(restoreInput(), "iptables-restore", "-w", "--noflush");
        String bridge = config.bridge();
        jumpsFirst("filter", "INPUT", List.of("-i " + bridge + " -j " + inputChain()));
        jumpsFirst("filter", "FORWARD", List.of("-i " + bridge + " -j " + forwardChain(),
                                                "-o " + bridge + " -j " + forwardChain()));
        jumpsFirst("nat", "POSTROUTING", List.of("-s " + config.subnet() + " ! -o " + bridge + " -j " + natChain()));
    }

    private String restoreInput() {
        String bridge = config.bridge();
        List<String> lines = new ArrayList<>(List.of("*filter", ":" + inputChain() + " - [0:0]",
                                                     ":" + forwardChain() + " - [0:0]"));
        lines.add("-A " + inputChain() + " -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT");
        lines.add("-A " + inputChain() + " -j DROP");
        String forward = "-A " + forwardChain() + " ";
        lines.add(forward + "-i " + bridge + " -o " + bridge + " -j DROP");
        lines.add(forward + "-o " + bridge + " -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT");
        lines.add(forward + "-o " + bridge + " -j DROP");
        for (String resolver : resolvers()) {
            lines.add(forward + "-d " + resolver + "/32 -i " + bridge + " -p udp -m udp --dport 53 -j ACCEPT");
            lines.add(forward + "-d " + resolver + "/32 -i " + bridge + " -p tcp -m tcp --dport 53 -j ACCEPT");
        }
        for (String network : config.blockedNetworks()) {
            lines.add(forward + "-d " + network + " -i " + bridge + " -j DROP");
        }
        lines.add(forward + "-i " + bridge + " -j ACCEPT");
        lines.addAll(List.of("COMMIT", "*nat", ":" + natChain() + " - [0:0]", "-A " + natChain() + " -j MASQUERADE",
                             "COMMIT", ""));
        return String.join("\n", lines);
    }

    /**
     * Makes {@code jumps} the first rules of {@code chain}, in order: missing or displaced ones (a host dockerd that
     * restarted inserts its own chains at the top) are inserted first, then their old copies deleted, so the jump
     * is never absent in between.
     */
    private static void jumpsFirst(String table, String chain, List<String> jumps) {
        List<String> expected = jumps.stream().map(jump -> "-A " + chain + " " + jump).toList();
        if (rules(table, chain).stream().limit(expected.size()).toList().equals(expected)) {
            return;
        }
        for (int i = 0; i < jumps.size(); i++) {
            List<String> insert = new ArrayList<>(List.of("iptables", "-w", "-t", table, "-I", chain,
                                                          Integer.toString(i + 1)));
            insert.addAll(List.of(jumps.get(i).split(" ")));
            Commands.ok(insert.toArray(String[]::new));
        }
        List<String> rules = rules(table, chain);
        for (int i = rules.size() - 1; i >= expected.size(); i--) {
            if (expected.contains(rules.get(i))) {
                Commands.ok("iptables", "-w", "-t", table, "-D", chain, Integer.toString(i + 1));
            }
        }
    }

    /** The chain's rules as {@code iptables -S} prints them ({@code -A CHAIN ...}), in order. */
    private static List<String> rules(String table, String chain) {
        return Commands.ok("iptables", "-w", "-t", table, "-S", chain).lines()
                .filter(line -> line.startsWith("-A "))
                .toList();
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
