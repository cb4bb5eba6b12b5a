package dev.aeon.auth.mtls;

import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMParser;

import java.io.IOException;
import java.io.StringReader;
import java.security.cert.CertificateException;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parses PEM bundles of CA certificates (BouncyCastle {@link PEMParser}) and keeps the result per bundle text, so
 * each namespace's bundle is parsed once, not once per call.
 */
public final class CaBundles {

    private static final int MAX_CACHED = 1024;

    /** A parsed bundle: its certificates and the same as PKIX trust anchors. */
    public record CaBundle(List<X509Certificate> certificates, Set<TrustAnchor> trustAnchors) {
    }

    private final Map<String, CaBundle> cache = Collections.synchronizedMap(
            new LinkedHashMap<>(64, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, CaBundle> eldest) {
                    return size() > MAX_CACHED;
                }
            });

    /** The bundle's CAs; throws IllegalArgumentException naming what is wrong with it. */
    public CaBundle get(String pem) {
        CaBundle cached = cache.get(pem);
        if (cached == null) {
            cached = parse(pem);
            cache.put(pem, cached);
        }
        return cached;
    }

    /**
     * Parses a bundle of one or more PEM {@code CERTIFICATE} blocks, each a CA certificate (basic constraints
     * CA=true). The control plane can call this to validate an upload with the same rules the data plane applies.
     */
    public static CaBundle parse(String pem) {
        if (pem == null || pem.isBlank()) {
            throw new IllegalArgumentException("acceptedClientCa is empty");
        }
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        List<X509Certificate> certificates = new ArrayList<>();
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            Object object;
            while ((object = parser.readObject()) != null) {
                if (!(object instanceof X509CertificateHolder holder)) {
                    throw new IllegalArgumentException("acceptedClientCa block " + (certificates.size() + 1)
                            + " is a " + object.getClass().getSimpleName() + ", not a CERTIFICATE");
                }
                X509Certificate certificate = converter.getCertificate(holder);
                if (certificate.getBasicConstraints() < 0) {
                    throw new IllegalArgumentException("acceptedClientCa certificate "
                            + certificate.getSubjectX500Principal().getName() + " is not a CA certificate"
                            + " (basic constraints CA=true is missing)");
                }
                certificates.add(certificate);
            }
        } catch (IOException | CertificateException e) {
            throw new IllegalArgumentException("acceptedClientCa is not a PEM certificate bundle: " + e.getMessage(), e);
        }
        if (certificates.isEmpty()) {
            throw new IllegalArgumentException("acceptedClientCa holds no PEM CERTIFICATE block");
        }
        Set<TrustAnchor> anchors = new HashSet<>();
        for (X509Certificate certificate : certificates) {
            anchors.add(new TrustAnchor(certificate, null));
        }
        return new CaBundle(List.copyOf(certificates), Set.copyOf(anchors));
    }
}
