package cx.wip.auth.grpc;

import cx.wip.auth.domain.AuthException;

import io.grpc.Status;
import io.lettuce.core.RedisConnectionException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ErrorsTest {
    @Test
    void domainErrors_mapToTheirStatus_withTheirMessage() {
        assertThat(Errors.status(new AuthException.NotFound("no tenant 'x'")))
                .satisfies(s -> assertThat(s.getCode()).isEqualTo(Status.Code.NOT_FOUND))
                .satisfies(s -> assertThat(s.getDescription()).isEqualTo("no tenant 'x'"));
        assertThat(Errors.status(new AuthException.AlreadyExists("taken")).getCode()).isEqualTo(Status.Code.ALREADY_EXISTS);
        assertThat(Errors.status(new AuthException.Invalid("bad")).getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    }

    @Test
    void redisDown_isUnavailable_andOtherFailuresHideTheirDetail() {
        assertThat(Errors.status(new RedisConnectionException("refused")).getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        final Status internal = Errors.status(new IllegalStateException("secret detail"));
        assertThat(internal.getCode()).isEqualTo(Status.Code.INTERNAL);
        assertThat(internal.getDescription()).doesNotContain("secret detail");
    }
}
