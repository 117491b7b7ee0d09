package cx.wip.auth.grpc;

import cx.wip.auth.domain.AuthException;

import io.grpc.Status;
import io.lettuce.core.RedisConnectionException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ErrorsTest {
    private static Status status(RuntimeException e) {
        return Errors.UNARY.status(e).getStatus();
    }

    @Test
    void domainErrors_mapToTheirStatus_withTheirMessage() {
        assertThat(status(new AuthException.NotFound("no tenant 'x'")))
                .satisfies(s -> assertThat(s.getCode()).isEqualTo(Status.Code.NOT_FOUND))
                .satisfies(s -> assertThat(s.getDescription()).isEqualTo("no tenant 'x'"));
        assertThat(status(new AuthException.AlreadyExists("taken")).getCode()).isEqualTo(Status.Code.ALREADY_EXISTS);
        assertThat(status(new AuthException.Invalid("bad")).getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    }

    @Test
    void redisDown_isUnavailable_andOtherFailuresHideTheirDetail() {
        assertThat(status(new RedisConnectionException("refused")).getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        final Status internal = status(new IllegalStateException("secret detail"));
        assertThat(internal.getCode()).isEqualTo(Status.Code.INTERNAL);
        assertThat(internal.getDescription()).isEqualTo("internal error in auth-service").doesNotContain("secret detail");
    }
}
