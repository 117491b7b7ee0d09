package cx.wip.gateway.identity;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.security.KeyManagementException;
import java.security.SecureRandom;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * Makes a TLS listener with blocking sockets ({@code useNio(false)}) actually ask for client certificates.
 * <p>
 * Helidon 4.5's blocking TLS path ({@code ConnectionHandler.createByteSocket}) wraps each accepted socket with
 * {@code sslContext().getSocketFactory().createSocket(socket, null, false)} and never applies the listener's
 * {@link SSLParameters}: no CertificateRequest is sent (client auth REQUIRED is silently off) and the protocol list
 * is the JDK default. The context returned here applies the given parameters to every socket its socket factory
 * makes, so {@code Tls.builder().sslContext(enforce(tls.sslContext(), tls.sslParameters()))} restores them.
 */
public final class ClientCertificateTls {
    private ClientCertificateTls() {
    }

    /** {@code delegate}, except that sockets from its socket factory get {@code parameters}. */
    public static SSLContext enforce(SSLContext delegate, SSLParameters parameters) {
        return new Enforcing(delegate, parameters);
    }

    private static final class Enforcing extends SSLContext {
        Enforcing(SSLContext delegate, SSLParameters parameters) {
            super(new Spi(delegate, parameters), delegate.getProvider(), delegate.getProtocol());
        }
    }

    private static final class Spi extends SSLContextSpi {
        private final SSLContext delegate;
        private final SSLParameters parameters;

        Spi(SSLContext delegate, SSLParameters parameters) {
            this.delegate = delegate;
            this.parameters = parameters;
        }

        @Override
        protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom sr) throws KeyManagementException {
            delegate.init(km, tm, sr);
        }

        @Override
        protected SSLSocketFactory engineGetSocketFactory() {
            return new ParameterisedFactory(delegate.getSocketFactory(), parameters);
        }

        @Override
        protected SSLServerSocketFactory engineGetServerSocketFactory() {
            return delegate.getServerSocketFactory();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine() {
            return delegate.createSSLEngine();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine(String host, int port) {
            return delegate.createSSLEngine(host, port);
        }

        @Override
        protected SSLSessionContext engineGetServerSessionContext() {
            return delegate.getServerSessionContext();
        }

        @Override
        protected SSLSessionContext engineGetClientSessionContext() {
            return delegate.getClientSessionContext();
        }

        @Override
        protected SSLParameters engineGetDefaultSSLParameters() {
            return delegate.getDefaultSSLParameters();
        }

        @Override
        protected SSLParameters engineGetSupportedSSLParameters() {
            return delegate.getSupportedSSLParameters();
        }
    }

    private static final class ParameterisedFactory extends SSLSocketFactory {
        private final SSLSocketFactory delegate;
        private final SSLParameters parameters;

        ParameterisedFactory(SSLSocketFactory delegate, SSLParameters parameters) {
            this.delegate = delegate;
            this.parameters = parameters;
        }

        private Socket apply(Socket socket) {
            if (socket instanceof SSLSocket ssl) {
                final SSLParameters copy = ssl.getSSLParameters();
                copy.setProtocols(parameters.getProtocols());
                copy.setCipherSuites(parameters.getCipherSuites());
                if (parameters.getNeedClientAuth()) {
                    copy.setNeedClientAuth(true);
                } else if (parameters.getWantClientAuth()) {
                    copy.setWantClientAuth(true);
                }
                ssl.setSSLParameters(copy);
            }
            return socket;
        }

        @Override
        public String[] getDefaultCipherSuites() {
            return delegate.getDefaultCipherSuites();
        }

        @Override
        public String[] getSupportedCipherSuites() {
            return delegate.getSupportedCipherSuites();
        }

        @Override
        public Socket createSocket(Socket s, String host, int port, boolean autoClose) throws IOException {
            return apply(delegate.createSocket(s, host, port, autoClose));
        }

        @Override
        public Socket createSocket(Socket s, InputStream consumed, boolean autoClose) throws IOException {
            return apply(delegate.createSocket(s, consumed, autoClose));
        }

        @Override
        public Socket createSocket() throws IOException {
            return apply(delegate.createSocket());
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            return apply(delegate.createSocket(host, port));
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
            return apply(delegate.createSocket(host, port, localHost, localPort));
        }

        @Override
        public Socket createSocket(InetAddress host, int port) throws IOException {
            return apply(delegate.createSocket(host, port));
        }

        @Override
        public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
                throws IOException {
            return apply(delegate.createSocket(address, port, localAddress, localPort));
        }
    }
}
