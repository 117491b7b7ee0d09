package cx.wip.vm.backend.fixed;

import java.util.List;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.ObjectMapper;

import cx.wip.docker.DockerEngine;
import cx.wip.vm.spi.BackendException;
import cx.wip.vm.spi.BootOutcome;
import cx.wip.vm.spi.DaemonEndpoint;
import cx.wip.vm.spi.HypervisorBackend;
import cx.wip.vm.spi.TenantSpec;

/** Tenant daemons an operator runs; stop and delete are left to the operator (no-ops here). */
final class StaticBackend implements HypervisorBackend {
    private static final Duration PING = Duration.ofSeconds(2);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, DaemonEndpoint> daemons;

    StaticBackend(Map<String, DaemonEndpoint> daemons) {
        this.daemons = Map.copyOf(daemons);
    }

    @Override
    public BootOutcome ensureRunning(TenantSpec tenant) {
        DaemonEndpoint endpoint = daemons.get(tenant.id());
        if (endpoint == null) {
            throw new BackendException("no daemon is configured for tenant " + tenant.id());
        }
        if (!DockerEngine.of(endpoint.dockerAddress(), PING).ping()) {
            throw new BackendException("the configured daemon of tenant " + tenant.id() + " at "
                                       + endpoint.dockerAddress() + " does not answer");
        }
        return new BootOutcome(endpoint, false);
    }

    @Override
    public boolean answers(String tenantId, DaemonEndpoint endpoint) {
        return DockerEngine.of(endpoint.dockerAddress(), PING).ping();
    }

    @Override
    public List<String> runningContainers(String tenantId) {
        // a static daemon is the operator's, not ours to put to sleep
        throw new BackendException("a static daemon is not stopped for idleness");
    }

    @Override
    public List<String> startContainers(String tenantId, List<String> containerIds) {
        return List.of();
    }

    @Override
    public void stop(String tenantId) {
    }

    @Override
    public void delete(String tenantId) {
    }

    @Override
    public Set<String> tenants() {
        return daemons.keySet();
    }
}
