package cx.wip.vm;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.Test;

import cx.wip.vm.boot.VmException;

import static org.assertj.core.api.Assertions.assertThat;

class VmErrorsTest {
    @Test
    void stillStarting_isUnavailable_withAnAsciiDescription() {
        StatusRuntimeException status = VmErrors.toStatus(new VmException.StillStarting());

        assertThat(status.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(status.getStatus().getDescription())
                .isEqualTo("your environment is still starting - retry in a moment");
    }

    @Test
    void anythingUnexpected_isInternal_andNamesTheError() {
        StatusRuntimeException status = VmErrors.toStatus(new IllegalStateException("boom"));

        assertThat(status.getStatus().getCode()).isEqualTo(Status.Code.INTERNAL);
        assertThat(status.getStatus().getDescription()).contains("boom");
    }

    @Test
    void ascii_replacesDashesAndDropsWhatHttp2HeadersWouldMangle() {
        assertThat(VmErrors.ascii("a — b – c é\n")).isEqualTo("a - b - c ??");
    }
}
