package cx.wip.gateway.review;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DaemonUsageProbeTest {

    @Test
    void countsContainers_andAddsUpThePolicysMemoryLabel() throws IOException {
        String list = "[{\"Id\":\"a\",\"Labels\":{\"cx.wip.memory\":\"536870912\"}},"
                + "{\"Id\":\"b\",\"Labels\":{\"cx.wip.memory\":\"268435456\",\"x\":\"y\"}},"
                + "{\"Id\":\"c\",\"Labels\":{}},{\"Id\":\"d\",\"Labels\":{\"cx.wip.memory\":\"-5\"}}]";

        UsageProbe.Usage usage = DaemonUsageProbe.parse(list.getBytes(StandardCharsets.UTF_8));

        assertThat(usage).isEqualTo(new UsageProbe.Usage(4, 805306368L));
    }

    @Test
    void refusesAnswersThatAreNoList() {
        assertThatThrownBy(() -> DaemonUsageProbe.parse("{\"message\":\"x\"}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IOException.class);
    }
}
