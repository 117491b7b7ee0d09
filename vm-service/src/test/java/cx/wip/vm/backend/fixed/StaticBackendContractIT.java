package cx.wip.vm.backend.fixed;

import java.util.List;
import java.util.Map;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;

import cx.wip.vm.spi.HypervisorBackend;
import cx.wip.vm.spi.HypervisorBackendContract;

/** Two operator-run daemons (both the host's dockerd here, told apart by their public addresses). */
class StaticBackendContractIT extends HypervisorBackendContract {
    private final HypervisorBackend backend = new StaticBackendProvider().create(Config.just(ConfigSources.create(
            Map.of("tenants.static-a.docker", "unix:///var/run/docker.sock",
                   "tenants.static-a.public", "192.0.2.10",
                   "tenants.static-b.docker", "unix:///var/run/docker.sock",
                   "tenants.static-b.public", "192.0.2.11"))));

    /** None: operator-run daemons are given as they are: their containment is the operator's. */
    @Override
    protected java.util.Set<Containment> containment() {
        return java.util.Set.of();
    }

    @Override
    protected HypervisorBackend backend() {
        return backend;
    }

    @Override
    protected boolean enforcesDiskSize() {
        return false;
    }

    @Override
    protected List<String> tenants() {
        return List.of("static-a", "static-b");
    }
}
