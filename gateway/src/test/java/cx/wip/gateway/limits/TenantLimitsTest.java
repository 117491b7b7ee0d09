package cx.wip.gateway.limits;

import java.io.ByteArrayInputStream;
import java.time.Duration;

import cx.wip.gateway.GatewayException;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TenantLimitsTest {
    private static final GatewayLimits LIMITS = new GatewayLimits(2, 1, 3, 20L << 20, 10L << 20,
            Duration.ofSeconds(1), Duration.ofSeconds(5));

    @Test
    void refusesBeyondTheCap_with429_andOnlyForThatTenantAndKind() {
        TenantLimits limits = new TenantLimits(LIMITS);
        TenantLimits.Permit a1 = limits.acquire("a", TenantLimits.Kind.HIJACKED);

        assertThatThrownBy(() -> limits.acquire("a", TenantLimits.Kind.HIJACKED))
                .isInstanceOfSatisfying(GatewayException.class, e -> {
                    assertThat(e.status()).isEqualTo(429);
                    assertThat(e.getMessage()).startsWith("wip: too many attach/exec sessions at once for your account "
                            + "(limit 1)");
                });
        limits.acquire("b", TenantLimits.Kind.HIJACKED).close();
        limits.acquire("a", TenantLimits.Kind.REQUEST).close();
        a1.close();
        limits.acquire("a", TenantLimits.Kind.HIJACKED).close();
    }

    @Test
    void releasesExactlyOnce_andForgetsIdleTenants() {
        TenantLimits limits = new TenantLimits(LIMITS);
        TenantLimits.Permit first = limits.acquire("a", TenantLimits.Kind.REQUEST);
        TenantLimits.Permit second = limits.acquire("a", TenantLimits.Kind.REQUEST);

        first.close();
        first.close();

        assertThat(limits.inUse("a", TenantLimits.Kind.REQUEST)).isEqualTo(1);
        assertThat(limits.inUse(TenantLimits.Kind.REQUEST)).isEqualTo(1);
        second.close();
        assertThat(limits.activeTenants()).isZero();
        assertThat(limits.inUse(TenantLimits.Kind.REQUEST)).isZero();
    }

    @Test
    void bufferBudget_refusesATenantBeyondItsShare_whileOthersStillGetRoom() throws Exception {
        BufferBudget budget = new BufferBudget(LIMITS);
        BufferBudget.Reservation a = budget.open("a");
        a.grow(9L << 20);

        assertThatThrownBy(() -> a.grow(2L << 20)).isInstanceOfSatisfying(GatewayException.class,
                e -> assertThat(e.status()).isEqualTo(503));
        try (BufferBudget.Reservation b = budget.open("b")) {
            assertThat(b.readAtMost(new ByteArrayInputStream(new byte[100_000]), 1 << 20)).hasSize(100_000);
            assertThat(b.readAtMost(new ByteArrayInputStream(new byte[100]), 99)).isNull();
        }
        a.close();
        a.close();
        assertThat(budget.used()).isZero();
        assertThat(budget.used("a")).isZero();
    }

    @Test
    void bufferBudget_refusesWhenTheGatewayIsFull() {
        BufferBudget budget = new BufferBudget(LIMITS);
        budget.open("a").grow(10L << 20);
        budget.open("b").grow(10L << 20);

        assertThatThrownBy(() -> budget.open("c").grow(1)).isInstanceOfSatisfying(GatewayException.class,
                e -> assertThat(e.getMessage()).startsWith("wip: the gateway is busy — retry"));
    }
}
