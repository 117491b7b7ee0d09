package cx.wip.vm.backend.local;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SubnetTest {
    @Test
    void theHostTakesTheFirstAddress_andTenantsTheFollowingOnes() {
        Subnet subnet = Subnet.parse("10.89.0.0/16");

        assertThat(subnet.hostAddress()).isEqualTo("10.89.0.1");
        assertThat(subnet.tenantAddress(0)).isEqualTo("10.89.0.2");
        assertThat(subnet.tenantAddress(300)).isEqualTo("10.89.1.46");
        assertThat(subnet.slotOf("10.89.1.46")).isEqualTo(300);
        assertThat(subnet.tenantCapacity()).isEqualTo(65533);
    }

    @Test
    void addressesOutsideTheSubnet_haveNoSlot_andTheLastSlotIsBeforeBroadcast() {
        Subnet subnet = Subnet.parse("10.89.7.9/24");

        assertThat(subnet.toString()).isEqualTo("10.89.7.0/24");
        assertThat(subnet.slotOf("10.90.0.2")).isEqualTo(-1);
        assertThat(subnet.slotOf("10.89.7.1")).isEqualTo(-1);
        assertThat(subnet.tenantAddress(subnet.tenantCapacity() - 1)).isEqualTo("10.89.7.254");
        assertThatThrownBy(() -> subnet.tenantAddress(subnet.tenantCapacity()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void nonsense_isRefused() {
        assertThatThrownBy(() -> Subnet.parse("10.89.0.0")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Subnet.parse("10.89.0.300/16")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Subnet.parse("10.0.0.0/31")).isInstanceOf(IllegalArgumentException.class);
    }
}
