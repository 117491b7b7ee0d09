package cx.wip.vm.backend.proxmox;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;
import java.util.logging.Logger;

import cx.wip.docker.DaemonTransport;
import cx.wip.docker.DockerEngine;
import cx.wip.vm.spi.DaemonEndpoint;

/**
 * Which engine answers at a VM's address. A VM's address is DHCP's to give: stopped outside vm-service, a tenant's
 * VM can lose it to another tenant's VM, and the recorded endpoint then leads to the other tenant's daemon. dockerd's
 * own {@code ID} ({@code GET /info}, kept on the VM's disk) tells them apart, so it is recorded at boot and compared
 * before a recorded endpoint is handed out again.
 */
final class EngineIdentity {
    private static final Logger LOGGER = Logger.getLogger(EngineIdentity.class.getName());
    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    private final Function<String, DaemonTransport> docker;

    EngineIdentity(Function<String, DaemonTransport> docker) {
        this.docker = docker;
    }

    /** The {@code ID} of the engine answering at {@code dockerAddress}; empty when none answers (yet). */
    Optional<String> at(String dockerAddress) {
        try {
            return Optional.of(new DockerEngine(docker.apply(dockerAddress), TIMEOUT).info().path("ID").asText(""))
                    .filter(id -> !id.isEmpty());
        } catch (IOException | RuntimeException notAnswering) {
            return Optional.empty();
        }
    }

    /**
     * Whether the tenant's own engine answers at its recorded endpoint. A record without an identity (written before
     * identities were recorded) is not trusted: the caller's next ensure re-reads the address from the VM's guest
     * agent and records the identity found there.
     */
    boolean isTenants(String tenantId, DaemonEndpoint recorded) {
        if (recorded.engineId().isEmpty()) {
            LOGGER.info(() -> "tenant " + tenantId + ": the record of " + recorded.dockerAddress()
                              + " has no engine identity (written before identities were recorded); re-reading it"
                              + " from the VM instead of handing it out");
            return false;
        }
        Optional<String> found = at(recorded.dockerAddress());
        if (found.isPresent() && !found.get().equals(recorded.engineId())) {
            LOGGER.warning(() -> "tenant " + tenantId + ": engine " + found.get() + " answers at "
                                 + recorded.dockerAddress() + ", not the tenant's engine " + recorded.engineId()
                                 + " (its VM was stopped outside vm-service and the address went to another VM?);"
                                 + " not handing the address out");
        }
        return found.filter(recorded.engineId()::equals).isPresent();
    }
}
