package cx.wip.vm.backend.proxmox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import org.junit.jupiter.api.BeforeAll;

import cx.wip.vm.spi.HypervisorBackend;
import cx.wip.vm.spi.HypervisorBackendContract;

/** The contract against the Proxmox API simulator. */
class ProxmoxBackendContractTest extends HypervisorBackendContract {
    private static ProxmoxSimulator simulator;
    private static HypervisorBackend backend;

    @BeforeAll
    static void start() throws IOException {
        simulator = new ProxmoxSimulator(freePort(), 60, 150);
        backend = new ProxmoxBackendProvider().create(config(simulator));
    }

    /** None: a VM per tenant is the wall; the template decides its engine's settings (see the proxmox package-info), not this backend. */
    @Override
    protected java.util.Set<Containment> containment() {
        return java.util.Set.of();
    }

    /** VMs get their addresses by DHCP: a recorded one can lead to another tenant's VM (see EngineIdentity). */
    @Override
    protected boolean checksTheDaemonIsTheTenants() {
        return true;
    }

    @Override
    protected void afterTenantsDeleted() {
        simulator.close();
    }

    @Override
    protected HypervisorBackend backend() {
        return backend;
    }

    @Override
    protected List<String> tenants() {
        return List.of("contract-a", "contract-b");
    }

    static Config config(ProxmoxSimulator simulator) {
        return Config.just(ConfigSources.create(Map.of(
                "url", simulator.url(),
                "token-id", "root@pam!wip",
                "token-secret", "s3cret",
                "node", ProxmoxSimulator.NODE,
                "template-vmid", Integer.toString(ProxmoxSimulator.TEMPLATE),
                "docker-port", Integer.toString(simulator.dockerPort()),
                "boot-timeout", "PT20S",
                "poll-interval", "PT0.02S")));
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
