package cx.wip.gateway.identity;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

import io.helidon.common.tls.Tls;
import io.helidon.common.tls.TlsClientAuth;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Accepts sockets the way Helidon 4.5's blocking TLS listener does ({@code getSocketFactory().createSocket(socket,
 * null, false)} then {@code startHandshake()}) and checks whether the client's certificate is asked for and seen.
 */
class ClientCertificateTlsTest {
    private static final char[] PASSWORD = "changeit".toCharArray();

    @TempDir
    static Path dir;

    private static KeyStore server;
    private static KeyStore client;

    @BeforeAll
    static void keys() throws Exception {
        server = keystore("server");
        client = keystore("client");
    }

    @Test
    void withoutEnforcement_theBlockingPathNeverAsksForTheClientCertificate() throws Exception {
        final Tls tls = tls();
        assertThat(tls.sslParameters().getNeedClientAuth()).isTrue();
        assertThat(handshake(tls.sslContext(), Optional.of(client))).isEmpty();
    }

    @Test
    void enforced_theClientCertificateIsAskedForAndSeen() throws Exception {
        final Tls tls = tls();
        final SSLContext enforced = ClientCertificateTls.enforce(tls.sslContext(), tls.sslParameters());
        final Optional<Certificate[]> seen = handshake(enforced, Optional.of(client));
        assertThat(seen).isPresent();
        assertThat(((X509Certificate) seen.get()[0]).getSubjectX500Principal().getName()).isEqualTo("CN=client");
    }

    @Test
    void enforced_aClientWithoutCertificateIsRefused() throws Exception {
        final Tls tls = tls();
        final SSLContext enforced = ClientCertificateTls.enforce(tls.sslContext(), tls.sslParameters());
        assertThat(handshake(enforced, Optional.empty())).isEmpty();
    }

    private static Tls tls() throws Exception {
        final KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(server, PASSWORD);
        final SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), new TrustManager[] {new TrustAll()}, null);
        return Tls.builder().sslContext(context).clientAuth(TlsClientAuth.REQUIRED).build();
    }

    /** Runs one handshake; the certificates the server saw, empty when none (or when the handshake failed). */
    private static Optional<Certificate[]> handshake(SSLContext serverContext, Optional<KeyStore> clientKeys)
            throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            final CompletableFuture<Optional<Certificate[]>> seen = CompletableFuture.supplyAsync(() -> {
                try (Socket accepted = listener.accept();
                     SSLSocket ssl = (SSLSocket) serverContext.getSocketFactory().createSocket(accepted, (InputStream) null,
                                                                                              false)) {
                    ssl.startHandshake();
                    ssl.getOutputStream().write(1);
                    ssl.getOutputStream().flush();
                    return Optional.of(ssl.getSession().getPeerCertificates());
                } catch (IOException e) {
                    return Optional.empty();
                }
            });
            final SSLContext clientContext = SSLContext.getInstance("TLS");
            KeyManagerFactory kmf = null;
            if (clientKeys.isPresent()) {
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(clientKeys.get(), PASSWORD);
            }
            clientContext.init(kmf == null ? null : kmf.getKeyManagers(), new TrustManager[] {new TrustAll()}, null);
            try (SSLSocket socket = (SSLSocket) clientContext.getSocketFactory()
                    .createSocket(InetAddress.getLoopbackAddress(), listener.getLocalPort())) {
                socket.startHandshake();
                socket.getInputStream().read();
            } catch (IOException expectedWhenRefused) {
                // the server refused this client
            }
            return seen.get(10, TimeUnit.SECONDS);
        }
    }

    private static KeyStore keystore(String name) throws Exception {
        final Path file = dir.resolve(name + ".p12");
        final Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                                                   "-genkeypair", "-keyalg", "EC", "-groupname", "secp256r1",
                                                   "-alias", name, "-dname", "CN=" + name, "-validity", "1",
                                                   "-storetype", "PKCS12", "-keystore", file.toString(),
                                                   "-storepass", new String(PASSWORD))
                .redirectErrorStream(true).start();
        final String output = new String(keytool.getInputStream().readAllBytes());
        assertThat(keytool.waitFor()).as(output).isZero();
        final KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, PASSWORD);
        }
        return store;
    }

    private static final class TrustAll implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
