package cx.wip.vm;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.regex.Pattern;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import cx.wip.proto.vm.v1.FailureReason;
import cx.wip.telemetry.RequestIds;
import cx.wip.vm.boot.VmException;
import cx.wip.vm.spi.BackendException;

import static org.assertj.core.api.Assertions.assertThat;

class VmErrorsTest {
    /** What a local boot failure really says: dockerd's exit, its log tail, paths, a pid, addresses. */
    static final String DETAIL = "dockerd for alice exited with 1; last log lines:\n"
            + "time=\"2026-12-02T10:00:00Z\" level=info msg=\"Starting up\" pid=48213\n"
            + "failed to start daemon: pid file found, ensure docker is not running or delete "
            + "/var/lib/wip/tenants/alice/run/docker.pid\n"
            + "listen tcp 10.89.0.7:2375: bind: address already in use; state redis://:s3cret@10.0.0.3:6379/0; "
            + "socket unix:///run/wip/tenants/alice/docker.sock";
    private static final Pattern IP = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    /** Held here: a logger nobody references may be collected, and VmErrors would then log to a new one. */
    private final Logger logger = Logger.getLogger(VmErrors.class.getName());
    private final List<LogRecord> logged = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            logged.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void capture() {
        // Helidon's MDC may (re)configure JUL on first use, which drops handlers: use it before attaching ours
        RequestIds.enter("warm-up", null).close();
        logger.addHandler(capture);
    }

    @AfterEach
    void release() {
        logger.removeHandler(capture);
    }

    @Test
    void stillStarting_isUnavailable_withAnAsciiDescription_andItsReasonInTheTrailer() {
        StatusRuntimeException status = VmErrors.toStatus(new VmException.StillStarting());

        assertThat(status.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(status.getStatus().getDescription())
                .isEqualTo("your environment is still starting - retry in a moment");
        assertThat(status.getTrailers().get(VmErrors.FAILURE).getReason())
                .isEqualTo(FailureReason.FAILURE_REASON_STILL_STARTING);
    }

    @Test
    void aBootFailure_showsNoPathAddressPidOrLog_butTheRequestId_andLogsTheDetail() {
        StatusRuntimeException status;
        try (RequestIds.Scope ignored = RequestIds.enter("1a2b3c4d", "alice")) {
            status = VmErrors.toStatus(new VmException.BootFailed("your environment could not be started: " + DETAIL,
                                                                   new BackendException(DETAIL)));
        }

        assertThat(status.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(status.getTrailers().get(VmErrors.FAILURE).getReason())
                .isEqualTo(FailureReason.FAILURE_REASON_BOOT_FAILED);
        assertClean(status.getStatus().getDescription());
        assertThat(status.getStatus().getDescription()).isEqualTo("your environment could not be started "
                + "(request id 1a2b3c4d; the operator can look it up)");
        assertThat(logged).anySatisfy(record -> assertThat(record.getMessage()).contains("docker.pid")
                .contains("10.89.0.7"));
    }

    @Test
    void anythingUnexpected_isInternal_withoutItsMessage() {
        StatusRuntimeException status;
        try (RequestIds.Scope ignored = RequestIds.enter("5e6f", null)) {
            status = VmErrors.toStatus(new IllegalStateException(DETAIL));
        }

        assertThat(status.getStatus().getCode()).isEqualTo(Status.Code.INTERNAL);
        assertThat(status.getTrailers().get(VmErrors.FAILURE).getReason())
                .isEqualTo(FailureReason.FAILURE_REASON_INTERNAL);
        assertClean(status.getStatus().getDescription());
        assertThat(status.getStatus().getDescription()).contains("request id 5e6f");
        assertThat(logged).anySatisfy(record -> assertThat(record.getThrown()).hasMessage(DETAIL));
    }

    @Test
    void aLostLease_isAborted_withoutEpochOrReplicaDetail() {
        StatusRuntimeException status = VmErrors.toStatus(new VmException.LeaseLost("epoch 7 of alice was "
                + "superseded by another replica at 10.0.0.9"));

        assertThat(status.getStatus().getCode()).isEqualTo(Status.Code.ABORTED);
        assertThat(status.getTrailers().get(VmErrors.FAILURE).getReason())
                .isEqualTo(FailureReason.FAILURE_REASON_LEASE_LOST);
        assertClean(status.getStatus().getDescription());
    }

    @Test
    void ascii_replacesDashesAndDropsWhatHttp2HeadersWouldMangle() {
        assertThat(VmErrors.ascii("a — b – c é\n")).isEqualTo("a - b - c ??");
    }

    static void assertClean(String description) {
        assertThat(description).doesNotContain("/").doesNotContain("pid").doesNotContain("redis")
                .doesNotContain("s3cret").doesNotContain("level=").doesNotContain("epoch");
        assertThat(IP.matcher(description).find()).as(description).isFalse();
    }
}
