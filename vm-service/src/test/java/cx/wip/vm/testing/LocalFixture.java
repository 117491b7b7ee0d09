package cx.wip.vm.testing;

import java.io.File;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;

/**
 * A local-backend setup of its own for one test class: random bridge, subnet, name prefix and directories, so
 * concurrent runs and a real wip on the same host never collide. {@code LocalBackend.teardown()} removes it all.
 */
public final class LocalFixture {
    private final String name;
    private final String subnet;

    private LocalFixture(String name, String subnet) {
        this.name = name;
        this.subnet = subnet;
    }

    public static LocalFixture random() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        String name = "wt" + Integer.toHexString(0x10000 + random.nextInt(0xeffff));
        return new LocalFixture(name, cx.wip.testing.Subnets.free());
    }

    public String name() {
        return name;
    }

    /** Flat config of the local backend section. */
    public Map<String, String> backendProperties(String prefix) {
        Map<String, String> properties = new HashMap<>();
        properties.put(prefix + "state-dir", "/run/wip-test/" + name + "/tenants");
        properties.put(prefix + "data-dir", "/var/lib/wip-test/" + name + "/tenants");
        properties.put(prefix + "bridge", name);
        properties.put(prefix + "subnet", subnet);
        properties.put(prefix + "name-prefix", name);
        properties.put(prefix + "ready-timeout", "PT30S");
        properties.put(prefix + "shutdown-timeout", "PT2S");
        properties.put(prefix + "seed.images.0", "wip-test/busybox:latest");
        if ("off".equals(System.getProperty("wip.test.containment"))) {
            // bench/vm.sh BENCH_VM_CONTAINMENT=off: what containment costs, measured against the engine without it
            properties.put(prefix + "containment.userns-remap", "false");
            properties.put(prefix + "containment.private-view", "false");
            properties.put(prefix + "containment.guard", "false");
        }
        return properties;
    }

    /** Removes this fixture's (by then empty) root directories, after {@code LocalBackend.teardown()}. */
    public void removeRoots() {
        for (String root : new String[] {"/run/wip-test/" + name, "/var/lib/wip-test/" + name}) {
            new File(root).delete();
        }
    }

    public Config backendConfig() {
        return Config.just(ConfigSources.create(backendProperties("")));
    }
}
