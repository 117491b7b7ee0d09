package cx.wip.ingress;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The contract every {@link RouteBackend} passes; a backend's test subclasses it and supplies the backend (real
 * Caddy, real Redis). Like docker-java's transport TCK: one abstract test, one small subclass per backend.
 */
public abstract class RouteBackendContract {
    protected static final TenantKey ALICE = new TenantKey("alice");
    protected static final TenantKey BOB = new TenantKey("bob");

    protected RouteBackend backend;

    /** @return a fresh backend with no routes */
    protected abstract RouteBackend newBackend();

    @BeforeEach
    void openBackend() {
        backend = newBackend();
    }

    @AfterEach
    void closeBackend() {
        backend.apply(ALICE, List.of());
        backend.apply(BOB, List.of());
        backend.close();
    }

    protected static Route route(String host, String... upstreams) {
        return new Route(host, List.of(upstreams));
    }

    @Test
    void appliedRoutes_areReadBack() {
        backend.apply(ALICE, List.of(route("web.alice.wip.test", "127.0.0.1:32768"),
                route("api.alice.wip.test", "127.0.0.1:32769")));

        assertThat(backend.routes(ALICE)).containsExactly(route("api.alice.wip.test", "127.0.0.1:32769"),
                route("web.alice.wip.test", "127.0.0.1:32768"));
    }

    @Test
    void applyingTheSameRoutesTwice_keepsOneOfEach() {
        List<Route> routes = List.of(route("web.alice.wip.test", "127.0.0.1:32768"));
        backend.apply(ALICE, routes);
        backend.apply(ALICE, routes);

        assertThat(backend.routes(ALICE)).containsExactlyElementsOf(routes);
    }

    @Test
    void changedUpstream_replacesTheOldOne() {
        backend.apply(ALICE, List.of(route("web.alice.wip.test", "127.0.0.1:32768")));
        backend.apply(ALICE, List.of(route("web.alice.wip.test", "127.0.0.1:40000")));

        assertThat(backend.routes(ALICE)).containsExactly(route("web.alice.wip.test", "127.0.0.1:40000"));
    }

    @Test
    void severalUpstreams_areKeptAndShrinkBack() {
        backend.apply(ALICE, List.of(route("web.alice.wip.test", "127.0.0.1:32768", "127.0.0.1:32770")));
        assertThat(backend.routes(ALICE)).containsExactly(route("web.alice.wip.test", "127.0.0.1:32768", "127.0.0.1:32770"));

        backend.apply(ALICE, List.of(route("web.alice.wip.test", "127.0.0.1:32770")));
        assertThat(backend.routes(ALICE)).containsExactly(route("web.alice.wip.test", "127.0.0.1:32770"));
    }

    @Test
    void routesNotListed_areRemoved() {
        backend.apply(ALICE, List.of(route("web.alice.wip.test", "127.0.0.1:32768"),
                route("api.alice.wip.test", "127.0.0.1:32769")));
        backend.apply(ALICE, List.of(route("api.alice.wip.test", "127.0.0.1:32769")));
        assertThat(backend.routes(ALICE)).containsExactly(route("api.alice.wip.test", "127.0.0.1:32769"));

        backend.apply(ALICE, List.of());
        assertThat(backend.routes(ALICE)).isEmpty();
    }

    @Test
    void oneTenantsApply_leavesOtherTenantsAlone() {
        backend.apply(BOB, List.of(route("web.bob.wip.test", "127.0.0.1:32800")));
        backend.apply(ALICE, List.of(route("web.alice.wip.test", "127.0.0.1:32768")));
        backend.apply(ALICE, List.of());

        assertThat(backend.routes(BOB)).containsExactly(route("web.bob.wip.test", "127.0.0.1:32800"));
        assertThat(backend.routes(ALICE)).isEmpty();
    }

    @Test
    void tenantsWithRoutes_areListed() {
        backend.apply(BOB, List.of(route("web.bob.wip.test", "127.0.0.1:32800")));
        backend.apply(ALICE, List.of(route("web.alice.wip.test", "127.0.0.1:32768")));

        assertThat(backend.tenants()).containsExactlyInAnyOrder(ALICE, BOB);
    }

    @Test
    void customDomainRoutes_roundTrip() {
        backend.apply(ALICE, List.of(route("www.shop-example.test", "127.0.0.1:32768")));

        assertThat(backend.routes(ALICE)).containsExactly(route("www.shop-example.test", "127.0.0.1:32768"));
    }
}
