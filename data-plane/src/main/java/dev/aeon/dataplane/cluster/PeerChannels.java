package dev.aeon.dataplane.cluster;

import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.TlsChannelCredentials;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * gRPC channels to the other data-plane nodes, one per address. With TLS on, every node serves the platform's one
 * server certificate, so a peer is trusted when it presents exactly that certificate (pinned: node addresses are
 * pod IPs, which the certificate does not name).
 */
@ApplicationScoped
public class PeerChannels {

    private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();
    private final ChannelCredentials credentials;

    public PeerChannels(@ConfigProperty(name = "aeon.tls.certificate") Optional<String> certificate) {
        this.credentials = certificate.filter(path -> !path.isBlank())
                .map(path -> TlsChannelCredentials.newBuilder().trustManager(new PinnedServer(read(Path.of(path))))
                        .build())
                .orElseGet(InsecureChannelCredentials::create);
    }

    public ManagedChannel to(String address) {
        // Never idle: readiness asks whether this node is connected to the leader, and an idle channel is not.
        return channels.computeIfAbsent(address, target -> Grpc.newChannelBuilder(target, credentials)
                .maxInboundMessageSize(16 * 1024 * 1024).idleTimeout(30, java.util.concurrent.TimeUnit.DAYS).build());
    }

    @PreDestroy
    void close() {
        channels.values().forEach(ManagedChannel::shutdownNow);
    }

    private static X509Certificate read(Path pem) {
        try (InputStream in = Files.newInputStream(pem)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the server certificate " + pem, e);
        } catch (CertificateException e) {
            throw new IllegalStateException("not a certificate: " + pem, e);
        }
    }

    /** Trusts a server that presents the pinned certificate, whatever its address. */
    static final class PinnedServer extends X509ExtendedTrustManager {

        private final X509Certificate pinned;

        PinnedServer(X509Certificate pinned) {
            this.pinned = pinned;
        }

        private void check(X509Certificate[] chain) throws CertificateException {
            if (chain == null || chain.length == 0 || !chain[0].equals(pinned)) {
                throw new CertificateException("the peer does not present this platform's server certificate");
            }
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            check(chain);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            check(chain);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            check(chain);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("this trust manager only checks servers");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            throw new CertificateException("this trust manager only checks servers");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            throw new CertificateException("this trust manager only checks servers");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
