package cx.wip.gateway.lifecycle;

import java.time.Duration;

import cx.wip.docker.DaemonAddress;
import cx.wip.gateway.endpoint.StaticEndpointResolver;
import cx.wip.gateway.identity.Tenant;
import cx.wip.proto.ingress.v1.CheckLabelResponse;
import cx.wip.telemetry.GrpcClientConfig;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class IngressReporterTest {
    private static final Tenant ALICE = new Tenant("t-alice", "alice", "free");

    private FakeIngress ingress;
    private IngressReporter reporter;

    @AfterEach
    void stop() {
        if (ingress != null) {
            ingress.release.countDown();
        }
        if (reporter != null) {
            reporter.close();
        }
        if (ingress != null) {
            ingress.close();
        }
    }

    private static IngressSettings settings(Duration timeout, int queueCapacity) {
        return new IngressSettings(GrpcClientConfig.of("127.0.0.1:9104", timeout), queueCapacity);
    }

    private IngressReporter reporter(int capacity) {
        reporter = new IngressReporter(settings(Duration.ofSeconds(20), capacity),
                                       ingress.channel(), null);
        return reporter;
    }

    @Test
    void eachEvent_reachesIngress_withTenantContainerAndAction() {
        ingress = new FakeIngress(v -> CheckLabelResponse.getDefaultInstance(), false).start();

        reporter(100).containerChanged(new ContainerEvent(ALICE, "abc123", "start"));
        reporter.containerChanged(new ContainerEvent(ALICE, "abc123", "remove"));

        await().until(() -> ingress.reports.size() == 2);
        assertThat(ingress.reports).allSatisfy(report -> {
            assertThat(report.getTenant().getId()).isEqualTo("t-alice");
            assertThat(report.getTenant().getSlug()).isEqualTo("alice");
            assertThat(report.getContainerId()).isEqualTo("abc123");
        });
        // sent concurrently: ingress-service reads the container's state on each report, so order does not matter
        assertThat(ingress.reports).extracting(r -> r.getAction()).containsExactlyInAnyOrder("start", "remove");
    }

    @Test
    void withAnEndpointResolver_eachReportNamesTheTenantsDaemon() {
        ingress = new FakeIngress(v -> CheckLabelResponse.getDefaultInstance(), false).start();
        reporter = new IngressReporter(settings(Duration.ofSeconds(2), 10),
                                       ingress.channel(),
                                       new StaticEndpointResolver(DaemonAddress.parse("tcp://10.89.0.7:2375")));

        reporter.containerChanged(new ContainerEvent(ALICE, "abc123", "start"));

        await().until(() -> ingress.reports.size() == 1);
        assertThat(ingress.reports.get(0).getTenant().getDaemonAddress()).isEqualTo("tcp://10.89.0.7:2375");
    }

    @Test
    void withoutAnEndpointResolver_reportsNameNoDaemon() {
        ingress = new FakeIngress(v -> CheckLabelResponse.getDefaultInstance(), false).start();

        reporter(10).containerChanged(new ContainerEvent(ALICE, "abc123", "start"));

        await().until(() -> ingress.reports.size() == 1);
        assertThat(ingress.reports.get(0).getTenant().getDaemonAddress()).isEmpty();
    }

    @Test
    void reporting_neverWaitsForIngress_evenWhenItStalls() {
        ingress = new FakeIngress(v -> CheckLabelResponse.getDefaultInstance(), true).start();
        reporter(10_000);

        final long started = System.nanoTime();
        for (int i = 0; i < 200; i++) {
            reporter.containerChanged(new ContainerEvent(ALICE, "c" + i, "start"));
        }
        final long tookMillis = (System.nanoTime() - started) / 1_000_000;

        assertThat(tookMillis).isLessThan(500);
        assertThat(ingress.reports).isEmpty();
        ingress.release.countDown();
        await().atMost(Duration.ofSeconds(30)).until(() -> ingress.reports.size() == 200);
    }

    @Test
    void fullQueue_dropsReportsInsteadOfBlocking() {
        ingress = new FakeIngress(v -> CheckLabelResponse.getDefaultInstance(), true).start();
        reporter = new IngressReporter(settings(Duration.ofMillis(500), 5),
                                       ingress.channel(), null);

        for (int i = 0; i < 50; i++) {
            reporter.containerChanged(new ContainerEvent(ALICE, "c" + i, "start"));
        }

        // at most 16 in flight, 5 queued and 1 in the sender's hand: the rest is dropped, none of it blocked
        assertThat(reporter.dropped()).isBetween(50L - 22, 50L - 5);
        final long closing = System.nanoTime();
        reporter.close();
        reporter = null;
        assertThat((System.nanoTime() - closing) / 1_000_000).as("close waits at most the timeout, ms").isLessThan(2000);
    }

    @Test
    void unreachableIngress_countsFailures_andKeepsSending() {
        ingress = new FakeIngress(v -> CheckLabelResponse.getDefaultInstance(), false).start();
        reporter = new IngressReporter(settings(Duration.ofMillis(200), 10),
                                       FakeIngress.nobodyListens(), null);

        reporter.containerChanged(new ContainerEvent(ALICE, "c1", "start"));
        reporter.containerChanged(new ContainerEvent(ALICE, "c2", "start"));

        await().until(() -> reporter.failed() == 2);
    }

    @Test
    void settings_comeFromGatewayIngress_andAreValidated() {
        final Config config = Config.just(ConfigSources.create(java.util.Map.of(
                "gateway.ingress.address", "10.0.0.2:9104", "gateway.ingress.timeout", "PT1S")));

        assertThat(IngressSettings.create(config)).isEqualTo(new IngressSettings(
                GrpcClientConfig.of("10.0.0.2:9104", Duration.ofSeconds(1)), 10_000));
        assertThat(IngressSettings.create(config.get("gateway.ingress")).address()).isEqualTo("10.0.0.2:9104");
        assertThatThrownBy(() -> new IngressSettings(GrpcClientConfig.of("nohostport", Duration.ofSeconds(1)), 1))
                .hasMessageContaining("gateway.ingress.address must be host:port");
        assertThatThrownBy(() -> IngressSettings.create(Config.just(ConfigSources.create(java.util.Map.of(
                "gateway.ingress.timeout", "PT0S")))))
                .hasMessageContaining("gateway.ingress.timeout must be positive");
    }
}
