package cx.wip.docker;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Optional;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

import io.helidon.common.configurable.Resource;
import io.helidon.common.pki.Keys;
import io.helidon.config.Config;

/**
 * The client side of TLS to daemons started with {@code --tlsverify} (proxmox VMs, operator-run daemons):
 * the CA that signed the daemons' certificates, and the caller's client certificate and key, like
 * {@code DOCKER_CERT_PATH}. The daemon's certificate must name the address dialled, as with
 * {@code docker --tlsverify}, unless {@code server-name} says which name every daemon certificate carries (VM
 * addresses come from DHCP; a template's certificate cannot know them).
 */
public final class DaemonTls {
    private final SSLSocketFactory sockets;
    private final Optional<String> serverName;

    private DaemonTls(SSLSocketFactory sockets, Optional<String> serverName) {
        this.sockets = sockets;
        this.serverName = serverName;
    }

    /**
     * Reads {@code ca}, {@code cert}, {@code key} (PEM files) and {@code server-name} (optional) of a
     * {@code daemon-tls} node (e.g. {@code gateway.daemon-tls}); empty when {@code cert} is unset (daemons spoken
     * to in plain text only). Errors name the node's key.
     */
    public static Optional<DaemonTls> create(Config config) {
        String node = config.key().toString().isEmpty() ? "daemon-tls" : config.key().toString();
        Optional<String> cert = config.get("cert").asString().filter(s -> !s.isBlank());
        if (cert.isEmpty()) {
            return Optional.empty();
        }
        Path certificate = Path.of(cert.get());
        Path key = Path.of(config.get("key").asString().orElse(""));
        Path ca = Path.of(config.get("ca").asString().orElse(""));
        for (Path file : new Path[] {certificate, key, ca}) {
            if (!Files.isReadable(file)) {
                throw new IllegalArgumentException(node + ": cannot read '" + file
                        + "' (ca, cert and key are all needed)");
            }
        }
        Keys own = Keys.builder().pem(pem -> pem.key(Resource.create(key)).certChain(Resource.create(certificate)))
                .build();
        Keys trusted = Keys.builder().pem(pem -> pem.certificates(Resource.create(ca))).build();
        try {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry("client", own.privateKey().orElseThrow(() -> new IllegalArgumentException(
                    node + ".key: no private key in " + key)), new char[0],
                    own.certChain().toArray(new X509Certificate[0]));
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            int i = 0;
            for (X509Certificate authority : trusted.certs()) {
                trust.setCertificateEntry("ca-" + i++, authority);
            }
            KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keyManagers.init(keys, new char[0]);
            TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(
                    TrustManagerFactory.getDefaultAlgorithm());
            trustManagers.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), null);
            return Optional.of(new DaemonTls(context.getSocketFactory(),
                    config.get("server-name").asString().filter(s -> !s.isBlank())));
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException(node + ": " + e.getMessage(), e);
        }
    }

    /**
     * Runs the handshake over a socket connected to {@code host:port}; the certificate must name {@code host} (or
     * {@code server-name}).
     */
    public SSLSocket wrap(Socket connected, String host, int port, int handshakeTimeoutMillis) throws IOException {
        String name = serverName.orElse(host);
        SSLSocket socket = (SSLSocket) sockets.createSocket(connected, name, port, true);
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        socket.setSSLParameters(parameters);
        socket.setSoTimeout(handshakeTimeoutMillis);
        socket.startHandshake();
        socket.setSoTimeout(0);
        return socket;
    }
}
