package dev.aeon.auth.mtls;

import dev.aeon.auth.AuthException;
import dev.aeon.auth.CertificatePrincipal;
import dev.aeon.auth.MutableClock;
import dev.aeon.auth.NamespacePermission;
import dev.aeon.auth.certs.CertificateGenerator;
import dev.aeon.auth.certs.IssuedCertificate;
import dev.aeon.auth.certs.KeyType;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Client certificates against namespaces' CA bundles and filters, with certificates made by the real generator. */
class ClientCertificateVerifierTest {

    private static final String ACCOUNT = "a1b2c3";
    private static final String ORDERS = "orders." + ACCOUNT;
    private static final Duration YEAR = Duration.ofDays(365);

    private static final CertificateGenerator GENERATOR = new CertificateGenerator();
    private static IssuedCertificate acmeCa;
    private static IssuedCertificate otherCa;
    private static IssuedCertificate worker;

    private final ClientCertificateVerifier verifier = new ClientCertificateVerifier();

    @BeforeAll
    static void issue() {
        acmeCa = GENERATOR.clientCa("Acme", YEAR, KeyType.ECDSA);
        otherCa = GENERATOR.clientCa("Other", YEAR, KeyType.ECDSA);
        worker = GENERATOR.clientLeaf(acmeCa, "Acme", "payments", "worker", Duration.ofDays(30),
                List.of("worker.prod.acme.com"));
    }

    @Test
    void aLeafFromTheNamespacesCaIsAWriterOfThatNamespace() {
        CertificatePrincipal principal = verifier.verify(chain(worker), ORDERS, settings(acmeCa.certificatePem()));

        assertEquals(ACCOUNT, principal.accountId());
        assertEquals("CN=worker,OU=payments,O=Acme", principal.subject());
        assertEquals(List.of("worker.prod.acme.com"), principal.subjectAlternativeNames());
        assertEquals(Optional.of(NamespacePermission.WRITE), principal.permissionOn(ORDERS));
        assertEquals(Optional.empty(), principal.permissionOn("billing." + ACCOUNT));
    }

    @Test
    void aChainThatIncludesTheCaAlsoVerifies() {
        verifier.verify(chain(worker, acmeCa), ORDERS, settings(acmeCa.certificatePem()));
    }

    @Test
    void aBundleOfSeveralCasAcceptsEach() {
        String bundle = otherCa.certificatePem() + acmeCa.certificatePem();

        verifier.verify(chain(worker), ORDERS, settings(bundle));
    }

    @Test
    void aLeafFromAnotherCaIsRefused() {
        IssuedCertificate stranger = GENERATOR.clientLeaf(otherCa, "Acme", "", "worker", Duration.ofDays(30), List.of());

        AuthException refused = refused(chain(stranger), settings(acmeCa.certificatePem()));
        assertTrue(refused.getMessage().contains("is not issued by a CA that namespace " + ORDERS + " accepts"),
                refused.getMessage());
    }

    @Test
    void anExpiredLeafIsRefused() {
        Instant tenDaysAgo = Instant.now().minus(Duration.ofDays(10));
        IssuedCertificate expired = new CertificateGenerator(Clock.fixed(tenDaysAgo, ZoneOffset.UTC))
                .clientLeaf(acmeCa, "Acme", "", "worker", Duration.ofDays(1), List.of());

        assertTrue(refused(chain(expired), settings(acmeCa.certificatePem())).getMessage().contains("expired at"));
    }

    @Test
    void aCertificateValidForOneNamespaceIsNothingOnAnotherWithItsOwnCa() {
        IssuedCertificate tenantB = GENERATOR.clientCa("Tenant B", YEAR, KeyType.ECDSA);

        refused(chain(worker), new NamespaceAuthSettings("b-account", false,
                new MtlsSettings(true, tenantB.certificatePem(), List.of())));
    }

    @Test
    void aChainThroughAnIntermediateVerifiesAgainstTheRoot() {
        IssuedCertificate intermediate = GENERATOR.intermediateCa(acmeCa, "Acme", "Acme issuing CA", Duration.ofDays(90));
        IssuedCertificate leaf = GENERATOR.clientLeaf(intermediate, "Acme", "", "worker", Duration.ofDays(30), List.of());

        verifier.verify(chain(leaf, intermediate), ORDERS, settings(acmeCa.certificatePem()));
        verifier.verify(chain(leaf, intermediate, acmeCa), ORDERS, settings(acmeCa.certificatePem()));
        // trusting only the intermediate works too; without the intermediate the path is incomplete
        verifier.verify(chain(leaf), ORDERS, settings(intermediate.certificatePem()));
        refused(chain(leaf), settings(acmeCa.certificatePem()));
    }

    @Test
    void theCaItselfIsNotAClientCertificate() {
        assertTrue(refused(chain(acmeCa), settings(acmeCa.certificatePem())).getMessage()
                .contains("not a client certificate"));
    }

    @Test
    void aServerOnlyCertificateIsNotForClientAuthentication() {
        IssuedCertificate server = GENERATOR.serverLeaf(acmeCa, List.of("localhost"), Duration.ofDays(30));

        assertTrue(refused(chain(server), settings(acmeCa.certificatePem())).getMessage().contains("clientAuth"));
    }

    @Test
    void filtersMustMatchWhenTheNamespaceHasAny() {
        String ca = acmeCa.certificatePem();

        verifier.verify(chain(worker), ORDERS, settings(ca, new CertificateFilter("worker", "Acme", "", "")));
        verifier.verify(chain(worker), ORDERS, settings(ca,
                new CertificateFilter("someone-else", "", "", ""),
                new CertificateFilter("", "", "payments", "")));
        verifier.verify(chain(worker), ORDERS, settings(ca, new CertificateFilter(null, null, null, "*.acme.com")));
        verifier.verify(chain(worker), ORDERS, settings(ca, new CertificateFilter(null, null, null, "*.prod.acme.com")));

        AuthException refused = refused(chain(worker), settings(ca,
                new CertificateFilter("worker", "Other", "", ""),
                new CertificateFilter("", "", "", "*.other.com")));
        assertEquals("client certificate CN=worker,OU=payments,O=Acme matches none of namespace " + ORDERS
                + "'s 2 certificate filter(s)", refused.getMessage());
        refused(chain(worker), settings(ca, new CertificateFilter("", "", "", "")));
    }

    @Test
    void aWildcardIsOnlyAWholeLeadingLabel() {
        assertNull(CertificateFilter.invalidPattern("*.acme.com"));
        assertNull(CertificateFilter.invalidPattern("worker"));
        for (String bad : List.of("*", " * ", "*acme.com", "*ker", "a*.acme.com", "worker.*.acme.com", "*.*.acme.com",
                "*.", "**.acme.com", "*..acme.com", "*.acme*")) {
            assertNotNull(CertificateFilter.invalidPattern(bad), bad);
        }
    }

    @Test
    void aWildcardNeverWidensAMatch() {
        String ca = acmeCa.certificatePem();
        IssuedCertificate lookalike = GENERATOR.clientLeaf(acmeCa, "Acme", "payments", "evilworker",
                Duration.ofDays(30), List.of("evilacme.com"));

        // values stored before the rule existed match nothing
        refused(chain(worker), settings(ca, new CertificateFilter("*", "", "", "")));
        refused(chain(worker), settings(ca, new CertificateFilter("*ker", "", "", "")));
        refused(chain(lookalike), settings(ca, new CertificateFilter("", "", "", "*acme.com")));
        refused(chain(lookalike), settings(ca, new CertificateFilter("", "", "", "*.acme.com")));
        refused(chain(worker), settings(ca, new CertificateFilter("", "", "", "*.worker.prod.acme.com")));
        verifier.verify(chain(worker), ORDERS, settings(ca, new CertificateFilter("", "", "", "*.acme.com")));
    }

    @Test
    void eachAttributeOfAMultiValuedRdnIsReadAsItself() throws Exception {
        X509Certificate leaf = multiValuedLeaf();

        LeafNames names = LeafNames.of(leaf);
        assertEquals(List.of("intruder"), names.commonNames());
        assertEquals(List.of("worker"), names.organizationalUnits());
        assertFalse(new CertificateFilter("worker", "", "", "").matches(names));
        assertTrue(new CertificateFilter("intruder", "Acme", "worker", "").matches(names));
    }

    /** A leaf whose subject is {@code O=Acme, OU=worker+CN=intruder} (one RDN with two attributes). */
    private static X509Certificate multiValuedLeaf() throws Exception {
        X500NameBuilder subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, "Acme")
                .addMultiValuedRDN(new ASN1ObjectIdentifier[] {BCStyle.OU, BCStyle.CN}, new String[] {"worker", "intruder"});
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(256);
        KeyPair keys = generator.generateKeyPair();
        Instant now = Instant.now();
        var holder = new JcaX509v3CertificateBuilder(subject.build(), BigInteger.ONE, Date.from(now),
                Date.from(now.plus(Duration.ofDays(1))), subject.build(), keys.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate()));
        return new JcaX509CertificateConverter().getCertificate(holder);
    }

    @Test
    void aReusedVerdictNeverOutlivesTheCertificateOrASettingsChange() {
        MutableClock clock = new MutableClock(Instant.now());
        ClientCertificateVerifier reusing = new ClientCertificateVerifier(clock);
        IssuedCertificate shortLived = GENERATOR.clientLeaf(acmeCa, "Acme", "", "worker", Duration.ofSeconds(30),
                List.of());
        NamespaceAuthSettings settings = settings(acmeCa.certificatePem());

        reusing.verify(chain(shortLived), ORDERS, settings);
        reusing.verify(chain(shortLived), ORDERS, settings);
        assertThrows(AuthException.class, () -> reusing.verify(chain(shortLived), ORDERS,
                settings(acmeCa.certificatePem(), new CertificateFilter("someone-else", "", "", ""))));
        clock.advance(Duration.ofSeconds(31));
        assertTrue(assertThrows(AuthException.class, () -> reusing.verify(chain(shortLived), ORDERS, settings))
                .getMessage().contains("expired at"));
    }

    @Test
    void aNamespaceWithoutMtlsRefusesCertificates() {
        assertTrue(refused(chain(worker), new NamespaceAuthSettings(ACCOUNT, true, MtlsSettings.DISABLED))
                .getMessage().contains("does not accept client certificates"));
        assertTrue(refused(new X509Certificate[0], settings(acmeCa.certificatePem())).getMessage()
                .contains("no client certificate"));
    }

    @Test
    void theProvisioningJsonOfTheContractParses() {
        String json = """
                {
                  "accountId": "a1b2c3", "retentionDays": 30, "apiKeyAuthEnabled": true,
                  "mtls": { "enabled": true, "acceptedClientCa": %s,
                            "certificateFilters": [ { "commonName": "worker", "organization": "Acme",
                                                      "organizationalUnit": "", "subjectAlternativeName": "" } ] },
                  "searchAttributes": { "CustomerId": "Keyword" }
                }""".formatted(quote(acmeCa.certificatePem()));

        NamespaceAuthSettings settings = NamespaceAuthSettings.parse(json);
        assertEquals(ACCOUNT, settings.accountId());
        assertTrue(settings.apiKeyAuthEnabled());
        assertEquals(List.of(new CertificateFilter("worker", "Acme", "", "")), settings.mtls().certificateFilters());
        verifier.verify(chain(worker), ORDERS, settings);
    }

    @Test
    void badBundlesAreNamed() {
        assertThrows(IllegalArgumentException.class, () -> CaBundles.parse(""));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> CaBundles.parse(worker.certificatePem()))
                .getMessage().contains("is not a CA certificate"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> CaBundles.parse(worker.privateKeyPem()))
                .getMessage().contains("not a CERTIFICATE"));
        assertTrue(refused(chain(worker), settings("garbage")).getMessage().contains("unusable accepted CA bundle"));
    }

    private AuthException refused(X509Certificate[] chain, NamespaceAuthSettings settings) {
        AuthException refused = assertThrows(AuthException.class, () -> verifier.verify(chain, ORDERS, settings));
        assertEquals(AuthException.Kind.UNAUTHENTICATED, refused.kind());
        return refused;
    }

    private static NamespaceAuthSettings settings(String caPem, CertificateFilter... filters) {
        return new NamespaceAuthSettings(ACCOUNT, false, new MtlsSettings(true, caPem, List.of(filters)));
    }

    private static X509Certificate[] chain(IssuedCertificate... certificates) {
        X509Certificate[] chain = new X509Certificate[certificates.length];
        for (int i = 0; i < certificates.length; i++) {
            chain[i] = certificates[i].certificate();
        }
        return chain;
    }

    private static String quote(String text) {
        return "\"" + text.replace("\n", "\\n") + "\"";
    }
}
