package cx.wip.vm.spi;

import io.helidon.config.Config;

/**
 * Registered in {@code META-INF/services/cx.wip.vm.spi.HypervisorBackendProvider}; vm-service picks the provider
 * whose {@link #name()} equals {@code vm.backend} and hands it the section {@code vm.backends.<name>}.
 */
public interface HypervisorBackendProvider {
    /** The name operators write in {@code vm.backend}. */
    String name();

    /** Creates the backend; validates its configuration (throws {@link IllegalArgumentException} when invalid). */
    HypervisorBackend create(Config config);
}
