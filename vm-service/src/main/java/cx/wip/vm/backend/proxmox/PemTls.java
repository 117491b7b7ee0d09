package cx.wip.vm.backend.proxmox;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import cx.wip.vm.spi.BackendException;

/**
 * An SSL context trusting a PEM CA: the Proxmox API's, when it is not publicly trusted. (TLS toward the VMs' Docker
 * daemons is docker-client's {@code DaemonTls}.)
 */
final class PemTls {
    private PemTls() {
    }

    static SSLContext context(Path ca) {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            int i = 0;
            for (Certificate cert : CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(Files.readAllBytes(ca)))) {
                trust.setCertificateEntry("ca" + i++, cert);
            }
            TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(
                    TrustManagerFactory.getDefaultAlgorithm());
            trustManagers.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trustManagers.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new BackendException("cannot build TLS from " + ca + ": " + e.getMessage(), e);
        }
    }
}
