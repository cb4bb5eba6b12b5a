package dev.aeon.auth.mtls;

import dev.aeon.auth.CertificatePrincipal;
import dev.aeon.auth.certs.CertificateGenerator;
import dev.aeon.auth.certs.IssuedCertificate;
import dev.aeon.auth.certs.KeyType;
import org.junit.jupiter.api.Test;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import java.net.InetAddress;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The pattern the data plane's listener follows, over a real TLS connection: the server presents the dev server
 * certificate, requests a client certificate accepting any chain, and lets the namespace's settings decide.
 */
class TlsHandshakeTest {

    @Test
    void aClientCertificateSeenThroughTlsVerifiesForItsNamespace() throws Exception {
        CertificateGenerator generator = new CertificateGenerator();
        IssuedCertificate devCa = generator.devServerCa(Duration.ofDays(30));
        IssuedCertificate server = generator.serverLeaf(devCa, List.of("localhost", "127.0.0.1"), Duration.ofDays(30));
        IssuedCertificate clientCa = generator.clientCa("Acme", Duration.ofDays(30), KeyType.ECDSA);
        IssuedCertificate client = generator.clientLeaf(clientCa, "Acme", "", "worker", Duration.ofDays(7), List.of());

        SSLContext serverContext = SSLContext.getInstance("TLS");
        serverContext.init(keyManagers(server), new TrustManager[] {new AnyClientChain()}, null);
        SSLContext clientContext = SSLContext.getInstance("TLS");
        clientContext.init(keyManagers(client), trusting(devCa), null);

        try (SSLServerSocket listener = (SSLServerSocket) serverContext.getServerSocketFactory()
                .createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            listener.setWantClientAuth(true);
            CompletableFuture<X509Certificate[]> peer = CompletableFuture.supplyAsync(() -> {
                try (SSLSocket accepted = (SSLSocket) listener.accept()) {
                    accepted.startHandshake();
                    Certificate[] chain = accepted.getSession().getPeerCertificates();
                    accepted.getOutputStream().write(1);
                    return Arrays.copyOf(chain, chain.length, X509Certificate[].class);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            try (SSLSocket socket = (SSLSocket) clientContext.getSocketFactory()
                    .createSocket("127.0.0.1", listener.getLocalPort())) {
                // the client checks the server's name against the dev certificate's SANs
                javax.net.ssl.SSLParameters parameters = socket.getSSLParameters();
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
                socket.setSSLParameters(parameters);
                socket.startHandshake();
                assertEquals(1, socket.getInputStream().read());
            }

            X509Certificate[] chain = peer.get(10, TimeUnit.SECONDS);
            CertificatePrincipal principal = new ClientCertificateVerifier().verify(chain, "orders.a1",
                    new NamespaceAuthSettings("a1", false, new MtlsSettings(true, clientCa.certificatePem(), List.of())));
            assertEquals("CN=worker,O=Acme", principal.subject());
        }
    }

    private static javax.net.ssl.KeyManager[] keyManagers(IssuedCertificate identity) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("identity", identity.privateKey(), new char[0], new Certificate[] {identity.certificate()});
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(store, new char[0]);
        return factory.getKeyManagers();
    }

    private static TrustManager[] trusting(IssuedCertificate ca) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setCertificateEntry("ca", ca.certificate());
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        return factory.getTrustManagers();
    }

    /** The handshake proves the client holds the leaf's key; which CA counts depends on the namespace, decided later. */
    private static final class AnyClientChain implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
            throw new UnsupportedOperationException("server side only");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
