package dev.aeon.dataplane.auth;

import io.quarkus.grpc.api.ServerBuilderCustomizer;
import io.quarkus.grpc.runtime.config.GrpcServerConfiguration;
import io.vertx.core.net.TrustOptions;
import io.vertx.grpc.VertxServerBuilder;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import javax.net.ssl.X509TrustManager;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Optional;

/**
 * TLS on 7233. Refuses to start without a server certificate unless plaintext is explicitly allowed
 * ({@code aeon.tls.plaintext-allowed}, which `./aeon dev` and tests set), and lets the TLS handshake take any client
 * certificate. Which CAs a certificate must come from depends on
 * the namespace the call names, which the handshake cannot know; {@link CallAuthorizer} verifies the chain per
 * call against that namespace's accepted CAs. (The server certificate and {@code client-auth=REQUEST} come from
 * Quarkus's {@code quarkus.grpc.server.ssl.*} settings.)
 */
@ApplicationScoped
public class TransportSecurity implements ServerBuilderCustomizer<VertxServerBuilder> {

    private final Optional<String> certificate;
    private final boolean plaintextAllowed;

    public TransportSecurity(@ConfigProperty(name = "aeon.tls.certificate") Optional<String> certificate,
                             @ConfigProperty(name = "aeon.tls.plaintext-allowed", defaultValue = "false")
                             boolean plaintextAllowed) {
        this.certificate = certificate.filter(path -> !path.isBlank());
        this.plaintextAllowed = plaintextAllowed;
    }

    void check(@Observes @Priority(0) StartupEvent event) {
        if (certificate.isEmpty() && !plaintextAllowed) {
            throw new IllegalStateException("aeon.tls.certificate and aeon.tls.key: required, the data plane serves "
                    + "tenants over TLS only (set aeon.tls.plaintext-allowed=true for local development)");
        }
    }

    @Override
    public void customize(GrpcServerConfiguration config, VertxServerBuilder builder) {
        builder.useSsl(options -> options.setTrustOptions(TrustOptions.wrap(new DeferredClientTrust())));
    }

    /** Trusts no server (this is a server) and defers every client chain to the per-namespace check. */
    static final class DeferredClientTrust implements X509TrustManager {

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            if (chain == null || chain.length == 0) {
                throw new CertificateException("empty client certificate chain");
            }
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("this trust manager only checks clients");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
