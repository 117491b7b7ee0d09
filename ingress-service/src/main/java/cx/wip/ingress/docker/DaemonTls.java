package cx.wip.ingress.docker;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
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
 * Client TLS toward tenant daemons that speak it ({@code https://host:2376}, proxmox VMs): the daemons' CA and
 * ingress's client certificate, the same files the gateway uses ({@code ingress.daemon-tls}). The daemon's
 * certificate must name the dialled address unless {@code server-name} says which name all of them carry.
 */
public final class DaemonTls {
    private final SSLSocketFactory sockets;
    private final Optional<String> serverName;

    private DaemonTls(SSLSocketFactory sockets, Optional<String> serverName) {
        this.sockets = sockets;
        this.serverName = serverName;
    }

    /** Reads {@code ca}, {@code cert}, {@code key} and {@code server-name}; empty when {@code cert} is unset. */
    public static Optional<DaemonTls> create(Config config) {
        Optional<String> cert = config.get("cert").asString().filter(s -> !s.isBlank());
        if (cert.isEmpty()) {
            return Optional.empty();
        }
        Path certificate = Path.of(cert.get());
        Path key = Path.of(config.get("key").asString().orElse(""));
        Path ca = Path.of(config.get("ca").asString().orElse(""));
        for (Path file : new Path[] {certificate, key, ca}) {
            if (!Files.isReadable(file)) {
                throw new IllegalArgumentException("ingress.daemon-tls: cannot read '" + file
                        + "' (ca, cert and key are all needed)");
            }
        }
        Keys own = Keys.builder().pem(pem -> pem.key(Resource.create(key)).certChain(Resource.create(certificate)))
                .build();
        Keys trusted = Keys.builder().pem(pem -> pem.certificates(Resource.create(ca))).build();
        try {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry("ingress", own.privateKey().orElseThrow(() -> new IllegalArgumentException(
                    "ingress.daemon-tls.key: no private key in " + key)), new char[0],
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
            throw new IllegalArgumentException("ingress.daemon-tls: " + e.getMessage(), e);
        }
    }

    /** Runs the handshake over a connected socket to {@code daemon}. */
    Socket wrap(Socket connected, URI daemon) throws IOException {
        SSLSocket socket = (SSLSocket) sockets.createSocket(connected, serverName.orElse(daemon.getHost()),
                connected.getPort(), true);
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        socket.setSSLParameters(parameters);
        socket.startHandshake();
        return socket;
    }
}
