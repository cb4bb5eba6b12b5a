package dev.aeon.auth.mtls;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** The names of a client certificate that filters look at. */
record LeafNames(List<String> commonNames, List<String> organizations, List<String> organizationalUnits,
        List<String> subjectAlternativeNames) {

    private static final int SAN_EMAIL = 1;
    private static final int SAN_DNS = 2;
    private static final int SAN_URI = 6;

    static LeafNames of(X509Certificate leaf) {
        X500Name subject = X500Name.getInstance(leaf.getSubjectX500Principal().getEncoded());
        return new LeafNames(values(subject, BCStyle.CN), values(subject, BCStyle.O), values(subject, BCStyle.OU),
                subjectAlternativeNames(leaf));
    }

    /** Every value of {@code attribute}, also inside multi-valued RDNs ({@code OU=x+CN=y} gives CN {@code y}). */
    private static List<String> values(X500Name name, ASN1ObjectIdentifier attribute) {
        List<String> values = new ArrayList<>();
        for (RDN rdn : name.getRDNs(attribute)) {
            for (AttributeTypeAndValue typeAndValue : rdn.getTypesAndValues()) {
                if (typeAndValue.getType().equals(attribute)) {
                    ASN1Encodable value = typeAndValue.getValue();
                    values.add(value instanceof ASN1String text ? text.getString() : IETFUtils.valueToString(value));
                }
            }
        }
        return List.copyOf(values);
    }

    private static List<String> subjectAlternativeNames(X509Certificate leaf) {
        List<String> names = new ArrayList<>();
        try {
            Collection<List<?>> entries = leaf.getSubjectAlternativeNames();
            if (entries != null) {
                for (List<?> entry : entries) {
                    int type = (Integer) entry.get(0);
                    if ((type == SAN_DNS || type == SAN_URI || type == SAN_EMAIL) && entry.get(1) instanceof String s) {
                        names.add(s);
                    }
                }
            }
        } catch (CertificateParsingException e) {
            // An unreadable SAN extension names nothing; a SAN filter then cannot match.
        }
        return List.copyOf(names);
    }
}
