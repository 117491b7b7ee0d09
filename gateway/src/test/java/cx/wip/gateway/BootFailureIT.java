package cx.wip.gateway;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;

import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.StreamObserver;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import cx.wip.docker.DaemonAddress;
import cx.wip.gateway.endpoint.VmEndpointResolver;
import cx.wip.proto.vm.v1.EnsureEndpointRequest;
import cx.wip.proto.vm.v1.EnsureEndpointResponse;
import cx.wip.proto.vm.v1.Failure;
import cx.wip.proto.vm.v1.FailureReason;
import cx.wip.proto.vm.v1.VmServiceGrpc;
import cx.wip.telemetry.RequestIds;
import cx.wip.testing.DockerCli;
import cx.wip.testing.Run;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A tenant whose engine cannot boot, with the real docker CLI: {@code docker ps} prints a plain message and the request
 * id under which vm-service logged the detail, and none of that detail (dockerd's log tail, paths, pid, addresses),
 * whatever vm-service put in its status message. Likewise a daemon that cannot be reached.
 */
class BootFailureIT {
    /** What an older vm-service sent as its message: the local backend's whole failure. */
    private static final String DETAIL = "your environment could not be started: dockerd for alice exited with 1; "
            + "last log lines: level=info msg=\"Starting up\" pid=48213 failed to start daemon: pid file found, delete "
            + "/var/lib/wip/tenants/alice/run/docker.pid; listen tcp 10.89.0.7:2375: address already in use";
    private static final Pattern IP = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private final AtomicReference<String> requestIdSeenByVm = new AtomicReference<>();
    private Server vm;
    private VmEndpointResolver resolver;
    private GatewayServer gateway;
    private Path work;

    @AfterEach
    void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        if (resolver != null) {
            resolver.close();
        }
        if (vm != null) {
            vm.shutdownNow();
        }
    }

    @Test
    void dockerPs_whenTheEngineCannotBoot_printsAPlainMessageAndTheRequestId() throws Exception {
        for (boolean withTrailer : new boolean[] {true, false}) {
            startFailingVm(withTrailer);
            Run.Result ps = DockerCli.at("tcp://127.0.0.1:" + gateway.port(), work).docker("ps").call();

            assertThat(ps.exitCode()).isNotZero();
            assertThat(ps.err()).contains("wip: your environment could not be started (request id "
                    + requestIdSeenByVm.get() + "; the operator can look it up)");
            assertClean(ps.err());
            stop();
        }
    }

    @Test
    void dockerPs_whenTheDaemonIsUnreachable_namesNoSocket() throws Exception {
        work = Files.createTempDirectory("wip-boot-failure");
        DaemonAddress missing = DaemonAddress.parse("unix://" + work.resolve("gone/docker.sock"));
        gateway = GatewayServer.builder().config(config(missing)).build().start();

        Run.Result ps = DockerCli.at("tcp://127.0.0.1:" + gateway.port(), work).docker("ps").call();

        assertThat(ps.exitCode()).isNotZero();
        assertThat(ps.err()).contains("wip: your Docker engine is not reachable right now; retry in a moment "
                + "(request id ").doesNotContain(work.toString());
        assertClean(ps.err());
    }

    private void startFailingVm(boolean withTrailer) throws Exception {
        work = Files.createTempDirectory("wip-boot-failure");
        ServerInterceptor seeRequestId = new ServerInterceptor() {
            @Override
            public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers,
                                                               ServerCallHandler<Q, A> next) {
                requestIdSeenByVm.set(headers.get(RequestIds.REQUEST_ID_HEADER));
                return next.startCall(call, headers);
            }
        };
        vm = ServerBuilder.forPort(0).addService(ServerInterceptors.intercept(new VmServiceGrpc.VmServiceImplBase() {
            @Override
            public void ensureEndpoint(EnsureEndpointRequest request, StreamObserver<EnsureEndpointResponse> out) {
                Metadata trailers = new Metadata();
                if (withTrailer) {
                    trailers.put(ProtoUtils.keyForProto(Failure.getDefaultInstance()),
                            Failure.newBuilder().setReason(FailureReason.FAILURE_REASON_BOOT_FAILED).build());
                }
                out.onError(Status.UNAVAILABLE.withDescription(DETAIL).asRuntimeException(trailers));
            }
        }, seeRequestId)).build().start();
        resolver = VmEndpointResolver.create(Config.just(ConfigSources.create(Map.of(
                "gateway.vm.address", "127.0.0.1:" + vm.getPort(), "gateway.vm.ensure-timeout", "PT5S"))));
        gateway = GatewayServer.builder().config(config(DaemonAddress.parse("unix:///var/run/docker.sock")))
                .endpoints(resolver).build().start();
    }

    private static GatewayConfig config(DaemonAddress daemon) {
        return new GatewayConfig("127.0.0.1", 0, Optional.empty(), Optional.empty(), 0, daemon, Optional.empty(),
                Duration.ofSeconds(2), 16, Duration.ofSeconds(2));
    }

    private static void assertClean(String err) {
        assertThat(err).doesNotContain("docker.pid").doesNotContain("/var/lib").doesNotContain("level=")
                .doesNotContain("48213").doesNotContain(".sock");
        assertThat(IP.matcher(err).find()).as(err).isFalse();
    }
}
