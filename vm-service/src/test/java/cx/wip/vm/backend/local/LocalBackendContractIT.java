package cx.wip.vm.backend.local;

import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import cx.wip.vm.spi.HypervisorBackend;
import cx.wip.vm.spi.HypervisorBackendContract;
import cx.wip.vm.testing.LocalFixture;

class LocalBackendContractIT extends HypervisorBackendContract {
    private static final LocalFixture FIXTURE = LocalFixture.random();
    private static LocalBackend backend;

    @BeforeAll
    static void start() {
        backend = (LocalBackend) new LocalBackendProvider().create(FIXTURE.backendConfig());
    }

    @AfterAll
    static void teardown() {
        if (backend != null) {
            backend.teardown();
        }
        FIXTURE.removeRoots();
    }

    @Override
    protected HypervisorBackend backend() {
        return backend;
    }

    @Override
    protected List<String> tenants() {
        return List.of("contract-a", "contract-b");
    }
}
