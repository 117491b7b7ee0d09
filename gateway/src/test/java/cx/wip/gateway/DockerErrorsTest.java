package cx.wip.gateway;

import java.io.IOException;
import java.net.ConnectException;
import java.util.regex.Pattern;

import javax.net.ssl.SSLHandshakeException;

import io.grpc.Status;
import org.junit.jupiter.api.Test;

import cx.wip.telemetry.RequestIds;

import static org.assertj.core.api.Assertions.assertThat;

/** What a tenant reads when the platform fails: plain words and the request id, never the internal detail. */
class DockerErrorsTest {
    private static final Pattern IP = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    @Test
    void anUnreachableDaemon_showsNeitherSocketNorAddress_butTheRequestId() {
        String unixSocket = tenantMessage(DockerErrors.daemonUnreachable(
                new IOException("connect to /run/wip/tenants/alice/docker.sock failed: No such file or directory")));
        String tcp = tenantMessage(DockerErrors.daemonUnreachable(
                new ConnectException("Connection refused: 10.89.0.7/10.89.0.7:2375")));

        for (String message : new String[] {unixSocket, tcp}) {
            assertClean(message);
            assertThat(message).isEqualTo("wip: your Docker engine is not reachable right now; retry in a moment "
                    + "(request id 1a2b3c4d; the operator can look it up)");
        }
    }

    @Test
    void aFailedDaemonHandshake_showsNoCertificateDetail() {
        String message = tenantMessage(DockerErrors.daemonUnreachable(new SSLHandshakeException(
                "No subject alternative names matching IP address 10.0.0.5 found; /etc/wip/daemon-tls/ca.pem")));

        assertClean(message);
        assertThat(message).startsWith("wip: the TLS handshake with your Docker engine failed")
                .endsWith("(request id 1a2b3c4d; the operator can look it up)");
    }

    @Test
    void aPlatformServiceFailure_carriesTheRequestId_andNotItsGrpcStatus() {
        String message = tenantMessage(new PlatformFault(503, "wip authentication service unavailable; retry in a "
                + "few seconds", Status.UNAVAILABLE.withDescription("io exception: 172.18.0.4:9101")
                .asRuntimeException()));

        assertClean(message);
        assertThat(message).contains("request id 1a2b3c4d");
    }

    @Test
    void aRequestsOwnError_isShownAsIs_withoutAReference() {
        assertThat(tenantMessage(new GatewayException(404, "page not found"))).isEqualTo("page not found");
    }

    private static String tenantMessage(GatewayException error) {
        try (RequestIds.Scope ignored = RequestIds.enter("1a2b3c4d", "alice")) {
            return DockerErrors.tenantMessage(error);
        }
    }

    private static void assertClean(String message) {
        assertThat(message).doesNotContain("/").doesNotContain("sock").doesNotContain("pid")
                .doesNotContain(":2375").doesNotContain("ca.pem");
        assertThat(IP.matcher(message).find()).as(message).isFalse();
    }
}
