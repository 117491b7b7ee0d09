package cx.wip.vm.backend.proxmox;

import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;
import java.util.stream.StreamSupport;

import com.fasterxml.jackson.databind.JsonNode;

import cx.wip.vm.spi.BackendException;
import cx.wip.vm.spi.DaemonEndpoint;
import cx.wip.vm.spi.TenantSpec;

/**
 * Where a tenant VM's daemon answers: the address its guest agent reports, and only when the engine answering there
 * is the tenant's as recorded ({@link EngineIdentity}) — never another tenant's daemon that now holds the address.
 */
final class VmDaemon {
    private static final Logger LOGGER = Logger.getLogger(VmDaemon.class.getName());

    private final ProxmoxApi api;
    private final ProxmoxConfig config;
    private final EngineIdentity identity;

    VmDaemon(ProxmoxApi api, ProxmoxConfig config, EngineIdentity identity) {
        this.api = api;
        this.config = config;
        this.identity = identity;
    }

    /**
     * Waits until a daemon answers at the VM's address and returns it with its engine id. With an engine recorded
     * for the tenant, another engine answering there is not the tenant's: the address is read again from the guest
     * agent (DHCP may still be settling), and if another engine answers there still, the boot fails.
     */
    DaemonEndpoint await(ProxmoxVm vm, TenantSpec tenant, long deadline) {
        String expected = tenant.engineId();
        boolean otherSeen = false;
        while (true) {
            String ip = guestAddress(vm, deadline);
            String address = dockerAddress(ip);
            Optional<String> found = identity.at(address);
            if (found.isPresent() && (expected.isEmpty() || expected.equals(found.get()))) {
                if (expected.isEmpty()) {
                    LOGGER.info(() -> "tenant " + tenant.id() + ": recording engine " + found.get() + " at " + address
                                      + " (VM " + vm.vmid() + ") as its identity");
                }
                return new DaemonEndpoint(address, ip, config.dockerTls().isPresent(), found.get());
            }
            if (found.isPresent()) {
                String message = "VM " + vm.vmid() + " of tenant " + tenant.id() + " reports address " + ip
                                 + ", but engine " + found.get() + " answers there, not the tenant's engine " + expected
                                 + " (another VM holds the address?); not routing the tenant to it";
                LOGGER.warning(message);
                if (otherSeen) {
                    throw new BackendException(message);
                }
                otherSeen = true;
            }
            if (System.nanoTime() > deadline) {
                throw new BackendException("the Docker API of VM " + vm.vmid() + " (" + address + ") did not answer"
                                           + " within " + config.bootTimeout().toSeconds() + " s");
            }
            api.pause();
        }
    }

    String dockerAddress(String ip) {
        return "tcp://" + ip + ":" + config.dockerPort();
    }

    /** The VM's first non-loopback IPv4 address, once the guest agent answers. */
    String guestAddress(ProxmoxVm vm, long deadline) {
        while (true) {
            try {
                api.post(vm.path() + "/agent/ping", Map.of());
                JsonNode interfaces = api.get(vm.path() + "/agent/network-get-interfaces").path("result");
                Optional<String> ip = StreamSupport.stream(interfaces.spliterator(), false)
                        .filter(nic -> !nic.path("name").asText().matches("lo|docker.*|br-.*|veth.*"))
                        .flatMap(nic -> StreamSupport.stream(nic.path("ip-addresses").spliterator(), false))
                        .filter(address -> "ipv4".equals(address.path("ip-address-type").asText()))
                        .map(address -> address.path("ip-address").asText())
                        .filter(address -> !address.startsWith("127.0.0."))
                        .findFirst();
                if (ip.isPresent()) {
                    return ip.get();
                }
            } catch (ProxmoxApi.ApiError notYet) {
                // "QEMU guest agent is not running" while the guest boots
            }
            if (System.nanoTime() > deadline) {
                throw new BackendException("the guest agent of VM " + vm.vmid() + " gave no IPv4 address in time");
            }
            api.pause();
        }
    }
}
