package org.postern.net;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.KeyManagementException;
import java.security.SecureRandom;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * An initialised JSSE {@link SSLContext} whose every socket, server socket and engine comes out
 * restricted to a {@link TlsPolicy}, so that code handed the context (an HTTPS server, a mail
 * client) cannot forget to restrict it.
 */
final class PolicySslContext extends SSLContext {

    private PolicySslContext(Spi spi, SSLContext delegate) {
        super(spi, delegate.getProvider(), delegate.getProtocol());
    }

    static SSLContext wrap(SSLContext initialised, TlsPolicy policy) {
        TlsPolicy effective = policy.supportedBy(initialised.getSupportedSSLParameters());
        return new PolicySslContext(new Spi(initialised, effective), initialised);
    }

    private static final class Spi extends SSLContextSpi {
        private final SSLContext delegate;
        private final TlsPolicy policy;

        Spi(SSLContext delegate, TlsPolicy policy) {
            this.delegate = delegate;
            this.policy = policy;
        }

        @Override
        protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom sr) throws KeyManagementException {
            throw new KeyManagementException("this SSLContext is already initialised");
        }

        @Override
        protected SSLSocketFactory engineGetSocketFactory() {
            return new SocketFactory(delegate.getSocketFactory(), policy);
        }

        @Override
        protected SSLServerSocketFactory engineGetServerSocketFactory() {
            return new ServerSocketFactory(delegate.getServerSocketFactory(), policy);
        }

        @Override
        protected SSLEngine engineCreateSSLEngine() {
            return restrict(delegate.createSSLEngine());
        }

        @Override
        protected SSLEngine engineCreateSSLEngine(String host, int port) {
            return restrict(delegate.createSSLEngine(host, port));
        }

        private SSLEngine restrict(SSLEngine e) {
            e.setSSLParameters(policy.applyTo(e.getSSLParameters()));
            return e;
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
            return policy.applyTo(delegate.getDefaultSSLParameters());
        }

        @Override
        protected SSLParameters engineGetSupportedSSLParameters() {
            return policy.applyTo(delegate.getSupportedSSLParameters());
        }
    }

    private static final class SocketFactory extends SSLSocketFactory {
        private final SSLSocketFactory delegate;
        private final TlsPolicy policy;

        SocketFactory(SSLSocketFactory delegate, TlsPolicy policy) {
            this.delegate = delegate;
            this.policy = policy;
        }

        private Socket restrict(Socket s) {
            SSLSocket ssl = (SSLSocket) s;
            ssl.setSSLParameters(policy.applyTo(ssl.getSSLParameters()));
            return ssl;
        }

        @Override
        public String[] getDefaultCipherSuites() {
            return policy.cipherSuites().toArray(String[]::new);
        }

        @Override
        public String[] getSupportedCipherSuites() {
            return delegate.getSupportedCipherSuites();
        }

        @Override
        public Socket createSocket() throws IOException {
            return restrict(delegate.createSocket());
        }

        @Override
        public Socket createSocket(Socket s, String host, int port, boolean autoClose) throws IOException {
            return restrict(delegate.createSocket(s, host, port, autoClose));
        }

        @Override
        public Socket createSocket(Socket s, InputStream consumed, boolean autoClose) throws IOException {
            return restrict(delegate.createSocket(s, consumed, autoClose));
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            return restrict(delegate.createSocket(host, port));
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
            return restrict(delegate.createSocket(host, port, localHost, localPort));
        }

        @Override
        public Socket createSocket(InetAddress host, int port) throws IOException {
            return restrict(delegate.createSocket(host, port));
        }

        @Override
        public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
                throws IOException {
            return restrict(delegate.createSocket(address, port, localAddress, localPort));
        }
    }

    private static final class ServerSocketFactory extends SSLServerSocketFactory {
        private final SSLServerSocketFactory delegate;
        private final TlsPolicy policy;

        ServerSocketFactory(SSLServerSocketFactory delegate, TlsPolicy policy) {
            this.delegate = delegate;
            this.policy = policy;
        }

        private ServerSocket restrict(ServerSocket s) {
            SSLServerSocket ssl = (SSLServerSocket) s;
            ssl.setSSLParameters(policy.applyTo(ssl.getSSLParameters()));
            return ssl;
        }

        @Override
        public String[] getDefaultCipherSuites() {
            return policy.cipherSuites().toArray(String[]::new);
        }

        @Override
        public String[] getSupportedCipherSuites() {
            return delegate.getSupportedCipherSuites();
        }

        @Override
        public ServerSocket createServerSocket() throws IOException {
            return restrict(delegate.createServerSocket());
        }

        @Override
        public ServerSocket createServerSocket(int port) throws IOException {
            return restrict(delegate.createServerSocket(port));
        }

        @Override
        public ServerSocket createServerSocket(int port, int backlog) throws IOException {
            return restrict(delegate.createServerSocket(port, backlog));
        }

        @Override
        public ServerSocket createServerSocket(int port, int backlog, InetAddress ifAddress) throws IOException {
            return restrict(delegate.createServerSocket(port, backlog, ifAddress));
        }
    }
}
