package cx.wip.gateway.identity;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FailureThrottleTest {
    @Test
    void addressOf_dropsThePort_keepsBareIpv6() {
        assertThat(FailureThrottle.addressOf("10.1.2.3:4567")).isEqualTo("10.1.2.3");
        assertThat(FailureThrottle.addressOf("/10.1.2.3:4567")).isEqualTo("10.1.2.3");
        assertThat(FailureThrottle.addressOf("[::1]:4567")).isEqualTo("::1");
        assertThat(FailureThrottle.addressOf("::1")).isEqualTo("::1");
        assertThat(FailureThrottle.addressOf("10.1.2.3")).isEqualTo("10.1.2.3");
    }

    @Test
    void forgetsOldAddresses_whenFull() {
        final long[] now = {0};
        final FailureThrottle throttle = new FailureThrottle(1, 10, 2, () -> now[0]);
        throttle.recordFailure("a");
        throttle.recordFailure("b");
        assertThat(throttle.blockedForSeconds("a")).isPositive();
        now[0] = 10;
        throttle.recordFailure("c");
        assertThat(throttle.blockedForSeconds("a")).isZero();
        assertThat(throttle.blockedForSeconds("c")).isPositive();
    }
}
