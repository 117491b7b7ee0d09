package cx.wip.gateway;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import cx.wip.docker.DaemonAddress;
import cx.wip.proto.policy.v1.PolicyServiceGrpc;

import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway is ready only while the platform services it calls can be reached: a load balancer stops sending
 * tenants to a gateway whose policy-service (say) is gone, and the details name which one.
 */
class GatewayReadinessTest {

    @Test
    void readiness_followsTheDownstreamChannels() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        Config root = Config.just(ConfigSources.create(Map.of("gateway.policy.address", "127.0.0.1:" + port,
                "gateway.policy.timeout", "PT1S")));
        GatewayConfig config = new GatewayConfig("127.0.0.1", 0, Optional.empty(), Optional.empty(), 0,
                DaemonAddress.parse("unix:///var/run/docker.sock"), Optional.empty(), Duration.ofSeconds(2), 4,
                Duration.ofSeconds(1));
        Server policy = ServerBuilder.forPort(port).addService(new PolicyServiceGrpc.PolicyServiceImplBase() {
        }).build().start();
        try (GatewayServer gateway = PlatformClients.configure(GatewayServer.builder().config(config), root, config)
                .build().start()) {
            assertThat(awaitReadiness(gateway, 200).body()).contains("policy");

            policy.shutdownNow().awaitTermination();

            HttpResponse<String> down = awaitReadiness(gateway, 503);
            assertThat(down.body()).contains("downstream").contains("policy").contains("TRANSIENT_FAILURE")
                    // health answers on a service port: it names the dependency, never its address
                    .doesNotContain("127.0.0.1").doesNotContain(String.valueOf(port));
        } finally {
            policy.shutdownNow();
        }
    }

    private static HttpResponse<String> awaitReadiness(GatewayServer gateway, int status) throws Exception {
        HttpResponse<String> last = null;
        try (HttpClient http = HttpClient.newHttpClient()) {
            for (int i = 0; i < 100; i++) {
                last = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.adminPort()
                        + "/observe/health/ready")).build(), HttpResponse.BodyHandlers.ofString());
                if (last.statusCode() == status) {
                    return last;
                }
                Thread.sleep(200);
            }
        }
        throw new AssertionError("readiness never answered " + status + "; last: " + last.statusCode() + " "
                + last.body());
    }
}
