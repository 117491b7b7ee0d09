package cx.wip.vm;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import org.junit.jupiter.api.Test;

import cx.wip.proto.vm.v1.EnsureEndpointRequest;
import cx.wip.proto.vm.v1.FailureReason;
import cx.wip.proto.vm.v1.VmServiceGrpc;
import cx.wip.telemetry.RequestIds;
import cx.wip.vm.testing.RedisFixture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * vm-service over its real gRPC port (Helidon's server, real Redis): a boot that fails with an internal address in
 * the backend's message answers UNAVAILABLE with the reason in the {@code wip.vm.v1.failure-bin} trailer, and a
 * message with the caller's request id and no address.
 */
class VmServerErrorsIT {
    @Test
    void aFailedBoot_carriesItsReasonInTheTrailer_andNoAddressInTheMessage() {
        try (RedisFixture redis = new RedisFixture();
             VmServer server = VmServer.start(Config.just(ConfigSources.create(Map.of(
                     "server.host", "127.0.0.1", "server.port", "0",
                     "vm.backend", "static", "vm.redis.uri", RedisFixture.URI, "vm.redis.key-prefix", redis.prefix(),
                     // nothing answers on port 1: the static backend's error names the address
                     "vm.backends.static.tenants.alice.docker", "tcp://127.0.0.1:1",
                     "vm.backends.static.tenants.alice.public", "127.0.0.1"))))) {
            ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext()
                    .build();
            try {
                Metadata ids = new Metadata();
                ids.put(RequestIds.REQUEST_ID_HEADER, "req-7f3a");
                VmServiceGrpc.VmServiceBlockingStub vm = VmServiceGrpc.newBlockingStub(channel)
                        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(ids))
                        .withDeadlineAfter(30, TimeUnit.SECONDS);

                assertThatThrownBy(() -> vm.ensureEndpoint(EnsureEndpointRequest.newBuilder().setTenantId("alice")
                        .setPlan("free").setWaitMillis(20_000).build()))
                        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
                            assertThat(e.getTrailers().get(VmErrors.FAILURE).getReason())
                                    .isEqualTo(FailureReason.FAILURE_REASON_BOOT_FAILED);
                            assertThat(e.getStatus().getDescription()).isEqualTo("your environment could not be "
                                    + "started (request id req-7f3a; the operator can look it up)");
                        });
            } finally {
                channel.shutdownNow();
            }
        }
    }
}
