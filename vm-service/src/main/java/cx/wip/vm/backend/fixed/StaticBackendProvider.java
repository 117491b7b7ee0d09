package cx.wip.vm.backend.fixed;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.helidon.config.Config;

import cx.wip.vm.spi.DaemonEndpoint;
import cx.wip.vm.spi.HypervisorBackend;
import cx.wip.vm.spi.HypervisorBackendProvider;

/**
 * {@code vm.backend: static}, configured as
 * <pre>
 * vm.backends.static.tenants:
 *   alice: {docker: "tcp://10.0.0.5:2375", public: "10.0.0.5"}
 * </pre>
 */
public final class StaticBackendProvider implements HypervisorBackendProvider {
    @Override
    public String name() {
        return "static";
    }

    @Override
    public HypervisorBackend create(Config config) {
        Map<String, DaemonEndpoint> daemons = new LinkedHashMap<>();
        for (Config tenant : config.get("tenants").asNodeList().orElse(List.of())) {
            String docker = tenant.get("docker").asString()
                    .orElseThrow(() -> new IllegalArgumentException(tenant.key() + ".docker is required"));
            String publicAddress = tenant.get("public").asString().orElse("");
            daemons.put(tenant.name(), new DaemonEndpoint(docker, publicAddress,
                                                          tenant.get("tls").asBoolean().orElse(false)));
        }
        return new StaticBackend(daemons);
    }
}
