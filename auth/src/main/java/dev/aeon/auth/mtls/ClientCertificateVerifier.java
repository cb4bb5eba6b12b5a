package dev.aeon.auth.mtls;

import dev.aeon.auth.AuthException;
import dev.aeon.auth.CertificatePrincipal;

import java.security.InvalidAlgorithmParameterException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.CertificateParsingException;
import java.security.cert.PKIXParameters;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decides whether a TLS client's certificate chain identifies a caller of one namespace: the chain must build to one
 * of the namespace's accepted CAs (PKIX path validation, no revocation checking), every certificate must be within
 * its validity now, a leaf that restricts its extended key usage must allow client authentication, and if the
 * namespace has certificate filters the leaf must match at least one.
 *
 * <p>The TLS listener itself must request a client certificate and accept any chain: the handshake proves the
 * client holds the leaf's private key, and this class decides per namespace afterwards. Thread-safe; reuse one.
 */
public final class ClientCertificateVerifier {

    private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
    private static final String ANY_EXTENDED_KEY_USAGE = "2.5.29.37.0";

    /** Verdicts are reused this long (and never past a certificate's expiry): a connection's calls share one check. */
    private static final long REUSE_MILLIS = 60_000;
    private static final int MAX_REUSED = 10_000;

    private record Question(String namespace, NamespaceAuthSettings settings, List<X509Certificate> chain) {
    }

    private record Verdict(CertificatePrincipal principal, long reusableUntilMillis) {
    }

    private final CaBundles bundles = new CaBundles();
    private final Map<Question, Verdict> verdicts = Collections.synchronizedMap(
            new LinkedHashMap<>(256, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<Question, Verdict> eldest) {
                    return size() > MAX_REUSED;
                }
            });
    private final Clock clock;

    public ClientCertificateVerifier(Clock clock) {
        this.clock = clock;
    }

    public ClientCertificateVerifier() {
        this(Clock.systemUTC());
    }

    /**
     * @param chain the peer's chain as TLS reports it, leaf first ({@code SSLSession.getPeerCertificates()})
     * @param namespace the namespace the call names
     * @param settings that namespace's provisioned settings
     * @return the caller, with WRITE on {@code namespace} only
     * @throws AuthException UNAUTHENTICATED naming the rule the chain broke
     */
    public CertificatePrincipal verify(X509Certificate[] chain, String namespace, NamespaceAuthSettings settings) {
        if (chain == null || chain.length == 0) {
            throw refuse("no client certificate was presented");
        }
        // Settings are compared by value: a changed bundle or filter is a new question.
        Question question = new Question(namespace, settings, List.of(chain));
        long now = clock.millis();
        Verdict reused = verdicts.get(question);
        if (reused != null && now < reused.reusableUntilMillis) {
            return reused.principal;
        }
        CertificatePrincipal principal = decide(chain, namespace, settings);
        long until = now + REUSE_MILLIS;
        for (X509Certificate certificate : chain) {
            until = Math.min(until, certificate.getNotAfter().getTime());
        }
        verdicts.put(question, new Verdict(principal, until));
        return principal;
    }

    private CertificatePrincipal decide(X509Certificate[] chain, String namespace, NamespaceAuthSettings settings) {
        X509Certificate leaf = chain[0];
        String subject = leaf.getSubjectX500Principal().getName();
        MtlsSettings mtls = settings.mtls();
        if (!mtls.enabled() || mtls.acceptedClientCa() == null || mtls.acceptedClientCa().isBlank()) {
            throw refuse("namespace " + namespace + " does not accept client certificates; use an API key");
        }
        CaBundles.CaBundle bundle;
        try {
            bundle = bundles.get(mtls.acceptedClientCa());
        } catch (IllegalArgumentException e) {
            throw refuse("namespace " + namespace + " has an unusable accepted CA bundle (" + e.getMessage() + ")");
        }
        Date now = Date.from(clock.instant());
        checkValidity(leaf, "client certificate " + subject, now);
        validatePath(chain, bundle, now, namespace, subject);
        checkExtendedKeyUsage(leaf, subject);
        LeafNames names = LeafNames.of(leaf);
        List<CertificateFilter> filters = mtls.certificateFilters();
        if (!filters.isEmpty() && filters.stream().noneMatch(filter -> filter.matches(names))) {
            throw refuse("client certificate " + subject + " matches none of namespace " + namespace + "'s "
                    + filters.size() + " certificate filter(s)");
        }
        return new CertificatePrincipal(namespace, settings.accountId(), subject, names.subjectAlternativeNames(),
                fingerprint(leaf));
    }

    private static void validatePath(X509Certificate[] chain, CaBundles.CaBundle bundle, Date now, String namespace,
            String subject) {
        // The path ends below the first certificate the namespace trusts; a chain may or may not include it.
        List<X509Certificate> path = new ArrayList<>();
        for (X509Certificate certificate : chain) {
            if (bundle.certificates().contains(certificate)) {
                break;
            }
            checkValidity(certificate, "certificate " + certificate.getSubjectX500Principal().getName()
                    + " in the client's chain", now);
            path.add(certificate);
        }
        if (path.isEmpty()) {
            throw refuse("the client presented a CA certificate of namespace " + namespace
                    + ", not a client certificate");
        }
        try {
            PKIXParameters parameters = new PKIXParameters(bundle.trustAnchors());
            parameters.setRevocationEnabled(false);
            parameters.setDate(now);
            CertPathValidator.getInstance("PKIX")
                    .validate(CertificateFactory.getInstance("X.509").generateCertPath(path), parameters);
        } catch (CertPathValidatorException e) {
            throw refuse("client certificate " + subject + " is not issued by a CA that namespace " + namespace
                    + " accepts (" + pathFailure(e) + ")");
        } catch (CertificateException | InvalidAlgorithmParameterException | NoSuchAlgorithmException e) {
            throw refuse("client certificate " + subject + " cannot be validated: " + e.getMessage());
        }
    }

    private static String pathFailure(CertPathValidatorException e) {
        if (e.getReason() instanceof CertPathValidatorException.BasicReason basic) {
            switch (basic) {
                case EXPIRED:
                    return "a certificate in the chain has expired";
                case NOT_YET_VALID:
                    return "a certificate in the chain is not valid yet";
                case INVALID_SIGNATURE:
                    return "a signature in the chain does not verify";
                case ALGORITHM_CONSTRAINED:
                    return "the chain uses a disallowed algorithm or key size";
                default:
                    break;
            }
        }
        if (e.getReason() == CertPathValidatorException.BasicReason.UNSPECIFIED
                && e.getMessage() != null && e.getMessage().contains("anchor")) {
            return "no accepted CA issued it";
        }
        return e.getMessage() == null ? e.getReason().toString() : e.getMessage();
    }

    private static void checkValidity(X509Certificate certificate, String what, Date now) {
        try {
            certificate.checkValidity(now);
        } catch (CertificateExpiredException e) {
            throw refuse(what + " expired at " + certificate.getNotAfter().toInstant());
        } catch (CertificateNotYetValidException e) {
            throw refuse(what + " is not valid before " + certificate.getNotBefore().toInstant());
        }
    }

    private static void checkExtendedKeyUsage(X509Certificate leaf, String subject) {
        try {
            List<String> usages = leaf.getExtendedKeyUsage();
            if (usages != null && !usages.contains(CLIENT_AUTH) && !usages.contains(ANY_EXTENDED_KEY_USAGE)) {
                throw refuse("client certificate " + subject + " is not for client authentication (its extended"
                        + " key usage lacks clientAuth)");
            }
        } catch (CertificateParsingException e) {
            throw refuse("client certificate " + subject + " has an unreadable extended key usage");
        }
    }

    private static String fingerprint(X509Certificate leaf) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(leaf.getEncoded()));
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static AuthException refuse(String message) {
        return new AuthException(AuthException.Kind.UNAUTHENTICATED, message);
    }
}
