package cx.wip.gateway.identity;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import cx.wip.gateway.GatewayConfig;
import cx.wip.gateway.GatewayServer;
import cx.wip.docker.DaemonAddress;
import cx.wip.proto.auth.v1.DenialReason;
import cx.wip.testing.TestCertificates;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The TLS listener behind a TCP proxy that speaks PROXY protocol v2 (Traefik's passthrough with
 * {@code proxyProtocol.version: 2}): a real TLS 1.3 client writes the binary header before its handshake, on the
 * listener's blocking sockets with {@code MutualTlsContext}. Two clients behind the one proxy are throttled apart.
 */
class ProxyProtocolIT {
    private static final String ALICE = "203.0.113.7";
    private static final String BOB = "198.51.100.9";

    private final List<String> accessLines = new CopyOnWriteArrayList<>();
    private final Handler access = new Handler() {
        @Override
        public void publish(LogRecord record) {
            accessLines.add(record.getMessage());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private FakeAuthService auth;
    private GrpcAuthenticator authenticator;
    private GatewayServer gateway;
    private SSLContext tls;

    @BeforeEach
    void start() throws Exception {
        Path work = Files.createTempDirectory("wip-proxy-protocol");
        TestCertificates certificates = TestCertificates.create(work.resolve("certs"), "tenant-test");
        tls = trusting(certificates.ca());
        auth = new FakeAuthService(request -> "good".equals(request.getBearerToken()) ? FakeAuthService.tenant("t1")
                : FakeAuthService.denial(DenialReason.UNKNOWN_CREDENTIAL)).start(0);
        authenticator = GrpcAuthenticator.create(Config.just(ConfigSources.create(Map.of(
                "gateway.auth.address", "127.0.0.1:" + auth.port(),
                "gateway.auth.throttle.failures", "3",
                "gateway.auth.throttle.window", "PT60S"))));
        GatewayConfig config = new GatewayConfig("127.0.0.1", 0, Optional.empty(),
                Optional.of(new GatewayConfig.TlsListener(0, certificates.serverCertificate(), certificates.serverKey(),
                        certificates.ca(), false, true)),
                0, DaemonAddress.parse("unix:///var/run/docker.sock"), Optional.empty(), Duration.ofSeconds(2), 4,
                Duration.ofSeconds(1));
        gateway = GatewayServer.builder().config(config).authenticator(authenticator).build().start();
        Logger.getLogger("cx.wip.gateway.access").addHandler(access);
    }

    @AfterEach
    void stop() throws Exception {
        Logger.getLogger("cx.wip.gateway.access").removeHandler(access);
        gateway.close();
        authenticator.close();
        auth.close();
    }

    @Test
    void failuresOfOneClientBehindTheProxy_doNotThrottleAnother() throws Exception {
        for (int i = 0; i < 3; i++) {
            assertThat(ping(ALICE, "bad")).startsWith("HTTP/1.1 401");
        }
        assertThat(ping(ALICE, "bad")).startsWith("HTTP/1.1 429").contains("from your address")
                .doesNotContain(ALICE).doesNotContain("127.0.0.1");

        // same proxy (same socket peer, 127.0.0.1), another client: its own count
        assertThat(ping(BOB, "bad")).startsWith("HTTP/1.1 401");
        assertThat(accessLines).anyMatch(line -> line.contains("\"client\":\"" + ALICE + "\""))
                .anyMatch(line -> line.contains("\"client\":\"" + BOB + "\""))
                .noneMatch(line -> line.contains("\"client\":\"127.0.0.1\""));
    }

    @Test
    void aClientWithoutTheHeader_isRefused_whenTheListenerExpectsIt() {
        assertThatThrownBy(() -> exchange(null, "good")).isInstanceOf(IOException.class);
    }

    private String ping(String source, String token) throws IOException {
        return exchange(source, token);
    }

    /** One request on a new connection: the PROXY v2 header (when a source is given), TLS, an HTTP/1.1 _ping. */
    private String exchange(String source, String token) throws IOException {
        try (Socket raw = new Socket("127.0.0.1", gateway.tlsPort())) {
            raw.setSoTimeout(10_000);
            if (source != null) {
                raw.getOutputStream().write(proxyV2(source, 40_000, "127.0.0.1", gateway.tlsPort()));
                raw.getOutputStream().flush();
            }
            try (SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket(raw, "127.0.0.1",
                    gateway.tlsPort(), true)) {
                socket.startHandshake();
                OutputStream out = socket.getOutputStream();
                out.write(("GET /_ping HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token
                        + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                return response(socket.getInputStream());
            }
        }
    }

    /** Status line, headers and a Content-Length body (the server may keep the connection open). */
    private static String response(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed after " + head);
            }
            head.append((char) b);
        }
        int length = head.toString().lines().filter(l -> l.regionMatches(true, 0, "Content-Length:", 0, 15))
                .mapToInt(l -> Integer.parseInt(l.substring(15).strip())).findFirst().orElse(0);
        return head + new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }

    /** PROXY protocol v2, command PROXY, TCP over IPv4 (haproxy's proxy-protocol.txt, section 2.2). */
    static byte[] proxyV2(String source, int sourcePort, String destination, int destinationPort) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(16 + 12);
        header.put(new byte[] {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A});
        header.put((byte) 0x21);           // version 2, command PROXY
        header.put((byte) 0x11);           // AF_INET, STREAM
        header.putShort((short) 12);       // address block: 4 + 4 + 2 + 2
        header.put(InetAddress.getByName(source).getAddress());
        header.put(InetAddress.getByName(destination).getAddress());
        header.putShort((short) sourcePort);
        header.putShort((short) destinationPort);
        return header.array();
    }

    private static SSLContext trusting(Path ca) throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (InputStream pem = Files.newInputStream(ca)) {
            trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(pem));
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLSv1.3");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }
}
