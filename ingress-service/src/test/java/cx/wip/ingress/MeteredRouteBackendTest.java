package cx.wip.ingress;

import java.util.Collection;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every apply is counted by provider and outcome; a failed apply still fails. */
class MeteredRouteBackendTest {
    @Test
    void countsAppliesByOutcome() {
        long ok = MeteredRouteBackend.SYNCS.count("metered-test", "ok");
        long failed = MeteredRouteBackend.SYNCS.count("metered-test", "failed");

        new MeteredRouteBackend(backend(false), "metered-test").apply(null, List.of());
        assertThatThrownBy(() -> new MeteredRouteBackend(backend(true), "metered-test").apply(null, List.of()))
                .isInstanceOf(BackendException.class);

        assertThat(MeteredRouteBackend.SYNCS.count("metered-test", "ok")).isEqualTo(ok + 1);
        assertThat(MeteredRouteBackend.SYNCS.count("metered-test", "failed")).isEqualTo(failed + 1);
    }

    private static RouteBackend backend(boolean refuse) {
        return new RouteBackend() {
            @Override
            public void apply(TenantKey tenant, Collection<Route> routes) {
                if (refuse) {
                    throw new BackendException("caddy refused");
                }
            }

            @Override
            public List<Route> routes(TenantKey tenant) {
                return List.of();
            }

            @Override
            public List<TenantKey> tenants() {
                return List.of();
            }

            @Override
            public void close() {
            }
        };
    }
}
