package dev.aeon.auth.certs;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Makes CA and end-entity certificates with BouncyCastle, the way {@code tcld gen ca} / {@code tcld gen leaf} do
 * (ECDSA P-384 or RSA 4096; a leaf's key type follows its CA's; a leaf never outlives its CA), plus a development
 * server certificate for the data plane's TLS. Used by {@code aeon certs} and by tests; nothing is written to disk here.
 */
public final class CertificateGenerator {

    /** tcld's limits on a CA's validity. */
    public static final Duration MIN_CA_VALIDITY = Duration.ofDays(7);
    public static final Duration MAX_CA_VALIDITY = Duration.ofDays(365);

    private static final Duration BACKDATE = Duration.ofMinutes(1);
    private static final Pattern IP_ADDRESS = Pattern.compile("[0-9.]+|.*:.*");

    private final SecureRandom random = new SecureRandom();
    private final Clock clock;

    public CertificateGenerator(Clock clock) {
        this.clock = clock;
    }

    public CertificateGenerator() {
        this(Clock.systemUTC());
    }

    /** A client CA a namespace can accept ({@code aeon certs ca}): subject {@code O=<organization>}. */
    public IssuedCertificate clientCa(String organization, Duration validity, KeyType keyType) {
        requireText(organization, "organization");
        if (validity.compareTo(MIN_CA_VALIDITY) < 0 || validity.compareTo(MAX_CA_VALIDITY) > 0) {
            throw new IllegalArgumentException("a CA's validity must be between 7d and 365d, not "
                    + validity.toDays() + "d");
        }
        return ca(name(organization, null, null), validity, keyType, null);
    }

    /** A CA signed by another CA, for chains with an intermediate. */
    public IssuedCertificate intermediateCa(IssuedCertificate issuer, String organization, String commonName,
            Duration validity) {
        requireText(organization, "organization");
        return ca(name(organization, null, commonName), validity, KeyType.of(issuer.privateKey()), issuer);
    }

    /**
     * A client certificate ({@code aeon certs leaf}), extended key usage clientAuth, signed by {@code ca}.
     *
     * @param validity null for tcld's default: until a day before the CA expires
     * @param dnsNames subject alternative names (may be empty)
     */
    public IssuedCertificate clientLeaf(IssuedCertificate ca, String organization, String organizationalUnit,
            String commonName, Duration validity, List<String> dnsNames) {
        requireText(organization, "organization");
        Instant caNotAfter = ca.certificate().getNotAfter().toInstant();
        Instant notAfter;
        if (validity == null) {
            notAfter = caNotAfter.minus(Duration.ofDays(1));
        } else {
            notAfter = clock.instant().plus(validity);
            if (notAfter.isAfter(caNotAfter)) {
                throw new IllegalArgumentException("a validity of " + validity.toDays() + "d would outlive the CA,"
                        + " which expires at " + caNotAfter);
            }
        }
        return leaf(ca, name(organization, organizationalUnit, commonName), notAfter, KeyPurposeId.id_kp_clientAuth,
                dnsNames);
    }

    /** A self-signed CA for the data plane's development TLS certificate ({@code aeon certs dev-server}). */
    public IssuedCertificate devServerCa(Duration validity) {
        return ca(name("Aeon development", null, "Aeon development server CA"), validity, KeyType.ECDSA, null);
    }

    /** A server certificate for {@code hosts} (DNS names or IP addresses), extended key usage serverAuth. */
    public IssuedCertificate serverLeaf(IssuedCertificate ca, List<String> hosts, Duration validity) {
        if (hosts.isEmpty()) {
            throw new IllegalArgumentException("a server certificate needs at least one host name");
        }
        Instant notAfter = min(clock.instant().plus(validity), ca.certificate().getNotAfter().toInstant());
        return leaf(ca, name("Aeon development", null, hosts.get(0)), notAfter, KeyPurposeId.id_kp_serverAuth, hosts);
    }

    private IssuedCertificate ca(X500Name subject, Duration validity, KeyType keyType, IssuedCertificate issuer) {
        KeyPair keys = keyPair(keyType);
        Instant notBefore = clock.instant().minus(BACKDATE);
        Instant notAfter = clock.instant().plus(validity);
        if (issuer != null) {
            notAfter = min(notAfter, issuer.certificate().getNotAfter().toInstant());
        }
        int usage = KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature;
        try {
            X509v3CertificateBuilder builder = builder(issuer, subject, notBefore, notAfter, keys)
                    .addExtension(Extension.basicConstraints, true, issuer == null
                            ? new BasicConstraints(true) : new BasicConstraints(0))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(usage));
            return sign(builder, keys, issuer);
        } catch (CertIOException e) {
            throw new IllegalStateException(e);
        }
    }

    private IssuedCertificate leaf(IssuedCertificate ca, X500Name subject, Instant notAfter, KeyPurposeId purpose,
            List<String> names) {
        if (ca.certificate().getBasicConstraints() < 0) {
            throw new IllegalArgumentException("the issuing certificate is not a CA certificate");
        }
        KeyType keyType = KeyType.of(ca.privateKey());
        KeyPair keys = keyPair(keyType);
        // Only RSA keys take part in key exchange through encipherment; ECDSA keys only sign.
        int usage = KeyUsage.digitalSignature | (keyType == KeyType.RSA ? KeyUsage.keyEncipherment : 0);
        try {
            X509v3CertificateBuilder builder = builder(ca, subject, clock.instant().minus(BACKDATE), notAfter, keys)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(usage))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
            if (!names.isEmpty()) {
                List<GeneralName> alternatives = new ArrayList<>();
                for (String host : names) {
                    alternatives.add(new GeneralName(IP_ADDRESS.matcher(host).matches()
                            ? GeneralName.iPAddress : GeneralName.dNSName, host));
                }
                builder.addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(alternatives.toArray(GeneralName[]::new)));
            }
            return sign(builder, keys, ca);
        } catch (CertIOException e) {
            throw new IllegalStateException(e);
        }
    }

    private X509v3CertificateBuilder builder(IssuedCertificate issuer, X500Name subject, Instant notBefore,
            Instant notAfter, KeyPair keys) throws CertIOException {
        X500Name issuerName = issuer == null ? subject
                : X500Name.getInstance(issuer.certificate().getSubjectX500Principal().getEncoded());
        try {
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuerName, serialNumber(),
                    Date.from(notBefore), Date.from(notAfter), subject, keys.getPublic())
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            extensions.createSubjectKeyIdentifier(keys.getPublic()));
            return builder.addExtension(Extension.authorityKeyIdentifier, false, issuer == null
                    ? extensions.createAuthorityKeyIdentifier(keys.getPublic())
                    : extensions.createAuthorityKeyIdentifier(issuer.certificate()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static IssuedCertificate sign(X509v3CertificateBuilder builder, KeyPair keys, IssuedCertificate issuer) {
        java.security.PrivateKey signingKey = issuer == null ? keys.getPrivate() : issuer.privateKey();
        try {
            X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(builder.build(
                    new JcaContentSignerBuilder(KeyType.of(signingKey).signatureAlgorithm).build(signingKey)));
            return new IssuedCertificate(certificate, keys.getPrivate());
        } catch (OperatorCreationException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign the certificate: " + e.getMessage(), e);
        }
    }

    private static KeyPair keyPair(KeyType keyType) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(keyType.algorithm);
            if (keyType == KeyType.RSA) {
                generator.initialize(4096);
            } else {
                generator.initialize(new ECGenParameterSpec("secp384r1"));
            }
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Positive, 127 random bits: unique without coordination, as RFC 5280 asks. */
    private BigInteger serialNumber() {
        return new BigInteger(127, random).add(BigInteger.ONE);
    }

    private static X500Name name(String organization, String organizationalUnit, String commonName) {
        X500NameBuilder name = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, organization.trim());
        if (organizationalUnit != null && !organizationalUnit.isBlank()) {
            name.addRDN(BCStyle.OU, organizationalUnit.trim());
        }
        if (commonName != null && !commonName.isBlank()) {
            name.addRDN(BCStyle.CN, commonName.trim());
        }
        return name.build();
    }

    private static void requireText(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(what + " is required");
        }
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
