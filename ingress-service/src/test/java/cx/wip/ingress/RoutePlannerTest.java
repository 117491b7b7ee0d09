package cx.wip.ingress;

import cx.wip.ingress.docker.ContainerState;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RoutePlannerTest {
    static final TenantRef ALICE = new TenantRef("alice", "alice", URI.create("unix:///var/run/docker.sock"),
            "10.0.0.5", false);
    final RoutePlanner planner = new RoutePlanner("wip.example", false);

    static ContainerState container(String id, String label, boolean running, Map<Integer, Integer> published) {
        return new ContainerState(id, "app_" + id, label == null ? Map.of() : Map.of(HttpLabel.KEY, label), running,
                published, "172.17.0.9");
    }

    Plan plan(ContainerState... containers) {
        return planner.plan(ALICE, List.of(containers), host -> host.equals("www.shop.example"), host -> true);
    }

    @Test
    void runningLabelledContainer_isReachedThroughItsPublishedPort() {
        Plan plan = plan(container("c1", "web:80", true, Map.of(80, 32768)));

        assertThat(plan.bindings()).containsExactly(new Binding("web.alice.wip.example", "c1", 80, "10.0.0.5:32768"));
        assertThat(plan.routes()).containsExactly(new Route("web.alice.wip.example", List.of("10.0.0.5:32768")));
    }

    @Test
    void stoppedOrUnlabelledContainers_haveNoRoutes() {
        Plan plan = plan(container("c1", "web:80", false, Map.of()), container("c2", null, true, Map.of(80, 1)));

        assertThat(plan.bindings()).isEmpty();
        assertThat(plan.skipped()).isEmpty();
    }

    @Test
    void scaledService_getsOneRouteWithEveryUpstream() {
        Plan plan = plan(container("c1", "web:80", true, Map.of(80, 32768)),
                container("c2", "web:80", true, Map.of(80, 32769)));

        assertThat(plan.routes()).containsExactly(new Route("web.alice.wip.example",
                List.of("10.0.0.5:32768", "10.0.0.5:32769")));
    }

    @Test
    void unpublishedPort_isSkippedWithAHint() {
        Plan plan = plan(container("c1", "web:80", true, Map.of()));

        assertThat(plan.bindings()).isEmpty();
        assertThat(plan.skipped()).containsExactly(new Plan.Skip("c1", "container app_c1 does not publish port 80: "
                + "add ports: [\"80\"] so web.alice.wip.example can reach it"));
    }

    @Test
    void directContainerNetwork_dialsTheContainerWhenNothingIsPublished() {
        Plan plan = new RoutePlanner("wip.example", true).plan(ALICE,
                List.of(container("c1", "web:80", true, Map.of())), host -> false, host -> true);

        assertThat(plan.bindings()).containsExactly(new Binding("web.alice.wip.example", "c1", 80, "172.17.0.9:80"));
    }

    @Test
    void customDomains_needVerification() {
        Plan plan = plan(container("c1", "www.shop.example:80,www.other.example:80", true, Map.of(80, 32768)));

        assertThat(plan.bindings()).containsExactly(new Binding("www.shop.example", "c1", 80, "10.0.0.5:32768"));
        assertThat(plan.skipped()).containsExactly(new Plan.Skip("c1", "custom domain www.other.example is not verified"));
    }

    @Test
    void fullHostsUnderTheBaseDomain_areRefused() {
        Plan plan = plan(container("c1", "web.bob.wip.example:80", true, Map.of(80, 32768)));

        assertThat(plan.bindings()).isEmpty();
        assertThat(plan.skipped()).singleElement().extracting(Plan.Skip::reason).asString()
                .startsWith("host web.bob.wip.example is under wip.example: write only the first name");
    }

    @Test
    void hostsOfOtherTenants_areSkipped() {
        Plan plan = planner.plan(ALICE, List.of(container("c1", "web:80", true, Map.of(80, 1))), host -> true,
                host -> false);

        assertThat(plan.skipped()).containsExactly(new Plan.Skip("c1", "host web.alice.wip.example belongs to another tenant"));
    }

    @Test
    void invalidLabel_isSkippedNotFatal() {
        Plan plan = plan(container("c1", "web", true, Map.of(80, 1)), container("c2", "api:80", true, Map.of(80, 2)));

        assertThat(plan.bindings()).extracting(Binding::host).containsExactly("api.alice.wip.example");
        assertThat(plan.skipped()).extracting(Plan.Skip::containerId).containsExactly("c1");
    }
}
