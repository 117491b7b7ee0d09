package cx.wip.vm;

import java.util.ServiceLoader;
import java.util.stream.Collectors;

import io.helidon.config.Config;

import cx.wip.vm.spi.HypervisorBackend;
import cx.wip.vm.spi.HypervisorBackendProvider;

/** Finds the configured backend among the providers on the class path. */
final class Backends {
    private Backends() {
    }

    static HypervisorBackend create(String name, Config config) {
        ServiceLoader<HypervisorBackendProvider> providers = ServiceLoader.load(HypervisorBackendProvider.class);
        return providers.stream()
                .map(ServiceLoader.Provider::get)
                .filter(provider -> provider.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException(
                        "vm.backend '" + name + "' is not on the class path; known: "
                        + providers.stream().map(p -> p.get().name()).collect(Collectors.joining(", "))))
                .create(config);
    }
}
