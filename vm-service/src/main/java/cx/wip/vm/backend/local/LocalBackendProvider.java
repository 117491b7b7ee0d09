package cx.wip.vm.backend.local;

import io.helidon.config.Config;

import cx.wip.vm.spi.HypervisorBackend;
import cx.wip.vm.spi.HypervisorBackendProvider;

/** {@code vm.backend: local} (the default). */
public final class LocalBackendProvider implements HypervisorBackendProvider {
    @Override
    public String name() {
        return "local";
    }

    @Override
    public HypervisorBackend create(Config config) {
        return new LocalBackend(LocalConfig.create(config));
    }
}
