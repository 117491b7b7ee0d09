package cx.wip.gateway;

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
 * An SSLContext whose sockets always carry the listener's parameters (client certificate required, TLS 1.3).
 * Helidon applies its TLS parameters to NIO engines but not to the blocking sockets the gateway's TLS listener
 * needs (see GatewayServer): without this, a client without a certificate would be let in.
 */
final class MutualTlsContext extends SSLContext {

    private MutualTlsContext(SSLContext delegate, SSLParameters parameters) {
        super(new Spi(delegate, parameters), delegate.getProvider(), delegate.getProtocol());
    }

    /** The parameters as Helidon made them, minus host-name checks of client certificates (a server has none). */
    static SSLContext wrap(SSLContext delegate, SSLParameters parameters) {
        SSLParameters server = new SSLParameters(parameters.getCipherSuites(), parameters.getProtocols());
        server.setNeedClientAuth(parameters.getNeedClientAuth());
        if (!parameters.getNeedClientAuth()) {
            server.setWantClientAuth(parameters.getWantClientAuth());
        }
        server.setEndpointIdentificationAlgorithm("");
        return new MutualTlsContext(delegate, server);
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
            // the delegate is initialised already
        }

        @Override
        protected SSLSocketFactory engineGetSocketFactory() {
            return new Sockets(delegate.getSocketFactory(), parameters);
        }

        @Override
        protected SSLServerSocketFactory engineGetServerSocketFactory() {
            return delegate.getServerSocketFactory();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine() {
            SSLEngine engine = delegate.createSSLEngine();
            engine.setSSLParameters(parameters);
            return engine;
        }

        @Override
        protected SSLEngine engineCreateSSLEngine(String host, int port) {
            SSLEngine engine = delegate.createSSLEngine(host, port);
            engine.setSSLParameters(parameters);
            return engine;
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
            return parameters;
        }

        @Override
        protected SSLParameters engineGetSupportedSSLParameters() {
            return delegate.getSupportedSSLParameters();
        }
    }

    /** Every socket made gets the parameters before its handshake. */
    private static final class Sockets extends SSLSocketFactory {
        private final SSLSocketFactory delegate;
        private final SSLParameters parameters;

        Sockets(SSLSocketFactory delegate, SSLParameters parameters) {
            this.delegate = delegate;
            this.parameters = parameters;
        }

        private Socket configured(Socket socket) {
            ((SSLSocket) socket).setSSLParameters(parameters);
            return socket;
        }

        @Override
        public Socket createSocket(Socket s, InputStream consumed, boolean autoClose) throws IOException {
            return configured(delegate.createSocket(s, consumed, autoClose));
        }

        @Override
        public Socket createSocket(Socket s, String host, int port, boolean autoClose) throws IOException {
            return configured(delegate.createSocket(s, host, port, autoClose));
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            return configured(delegate.createSocket(host, port));
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
            return configured(delegate.createSocket(host, port, localHost, localPort));
        }

        @Override
        public Socket createSocket(InetAddress host, int port) throws IOException {
            return configured(delegate.createSocket(host, port));
        }

        @Override
        public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
                throws IOException {
            return configured(delegate.createSocket(address, port, localAddress, localPort));
        }

        @Override
        public String[] getDefaultCipherSuites() {
            return parameters.getCipherSuites();
        }

        @Override
        public String[] getSupportedCipherSuites() {
            return delegate.getSupportedCipherSuites();
        }
    }
}
