package cx.wip.ingress;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TenantKeyTest {
    @Test
    void plainIds_areTheirOwnKey() {
        assertThat(TenantKey.of("alice").value()).isEqualTo("alice");
        assertThat(TenantKey.of("alice").routeName("web.alice.wip.example")).isEqualTo("wip_alice_web_alice_wip_example");
    }

    @Test
    void otherIds_areHashed_soNoTwoCollideOnSeparators() {
        TenantKey dashed = TenantKey.of("t-1");
        TenantKey underscored = TenantKey.of("t_1");

        assertThat(dashed.value()).matches("h[0-9a-f]{16}");
        assertThat(dashed).isNotEqualTo(underscored);
    }

    @Test
    void routeNames_leadBackToTheirTenant() {
        TenantKey key = TenantKey.of("Tenant@42");

        assertThat(TenantKey.ofRouteName(key.routeName("www.shop.example"))).isEqualTo(key);
        assertThat(TenantKey.ofRouteName("wip-fallback")).isNull();
        assertThat(TenantKey.ofRouteName("srv0")).isNull();
    }
}
