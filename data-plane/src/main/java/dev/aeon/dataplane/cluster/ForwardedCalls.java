package dev.aeon.dataplane.cluster;

import io.grpc.Metadata;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.io.ByteArrayInputStream;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * How a call forwarded by another node is marked: the node's id and the platform's internal token (only nodes of
 * this platform have it), and, for a caller who presented a client certificate to the first node, that chain (a
 * certificate cannot be presented again on the second connection). The node that serves the call authenticates
 * and authorizes it exactly as if the caller had connected to it.
 */
public final class ForwardedCalls {

    public static final Metadata.Key<String> FORWARDED_BY = Metadata.Key.of("aeon-forwarded-by",
            Metadata.ASCII_STRING_MARSHALLER);
    public static final Metadata.Key<String> INTERNAL_TOKEN = Metadata.Key.of("aeon-internal-token",
            Metadata.ASCII_STRING_MARSHALLER);
    public static final Metadata.Key<String> CLIENT_CERTIFICATES = Metadata.Key.of("aeon-forwarded-client-certificates",
            Metadata.ASCII_STRING_MARSHALLER);

    private ForwardedCalls() {
    }

    /** Whether another node of this platform forwarded the call (it carries the internal token). */
    public static boolean isForwarded(Metadata headers, Optional<String> internalToken) {
        String presented = headers.get(INTERNAL_TOKEN);
        return presented != null && headers.get(FORWARDED_BY) != null && internalToken.isPresent()
                && !internalToken.get().isEmpty()
                && MessageDigest.isEqual(presented.getBytes(StandardCharsets.UTF_8),
                internalToken.get().getBytes(StandardCharsets.UTF_8));
    }

    /** The certificate chain a caller presented in the TLS handshake; null when none (or no TLS). */
    public static X509Certificate[] peerChain(javax.net.ssl.SSLSession tls) {
        if (tls == null) {
            return null;
        }
        try {
            java.security.cert.Certificate[] peer = tls.getPeerCertificates();
            return Arrays.copyOf(peer, peer.length, X509Certificate[].class);
        } catch (javax.net.ssl.SSLPeerUnverifiedException | ArrayStoreException none) {
            return null;
        }
    }

    /** The client certificate chain as a header value: each certificate's DER, base64, comma-separated. */
    public static String encode(X509Certificate[] chain) {
        return Arrays.stream(chain).map(certificate -> {
            try {
                return Base64.getEncoder().encodeToString(certificate.getEncoded());
            } catch (CertificateEncodingException e) {
                throw new IllegalStateException("client certificate cannot be encoded", e);
            }
        }).collect(Collectors.joining(","));
    }

    /** The chain a forwarded call carries, if any; only to be trusted when {@link #isForwarded} holds. */
    public static X509Certificate[] clientCertificates(Metadata headers) {
        String value = headers.get(CLIENT_CERTIFICATES);
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            String[] parts = value.split(",");
            X509Certificate[] chain = new X509Certificate[parts.length];
            for (int i = 0; i < parts.length; i++) {
                chain[i] = (X509Certificate) factory.generateCertificate(
                        new ByteArrayInputStream(Base64.getDecoder().decode(parts[i])));
            }
            return chain;
        } catch (CertificateException | IllegalArgumentException e) {
            return null;
        }
    }
}
