package dev.aeon.auth.mtls;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import java.util.List;

/**
 * One of a namespace's certificate filters (Temporal Cloud's {@code CertificateFilterSpec}). A client certificate
 * matches when every non-empty field matches: the leaf's CN, any of its O values, any of its OU values, any of its
 * DNS, URI or email subject alternative names. A value starting with {@code *} matches any value ending in the rest
 * ({@code *.workers.acme.com}); otherwise values compare exactly.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CertificateFilter(
        String commonName,
        String organization,
        String organizationalUnit,
        String subjectAlternativeName) {

    /** Whether the filter sets nothing (the control plane should refuse such a filter; here it matches nothing). */
    public boolean isEmpty() {
        return blank(commonName) && blank(organization) && blank(organizationalUnit) && blank(subjectAlternativeName);
    }

    boolean matches(LeafNames leaf) {
        return !isEmpty()
                && (blank(commonName) || anyMatches(commonName, leaf.commonNames()))
                && (blank(organization) || anyMatches(organization, leaf.organizations()))
                && (blank(organizationalUnit) || anyMatches(organizationalUnit, leaf.organizationalUnits()))
                && (blank(subjectAlternativeName) || anyMatches(subjectAlternativeName, leaf.subjectAlternativeNames()));
    }

    private static boolean anyMatches(String pattern, List<String> values) {
        String wanted = pattern.trim();
        for (String value : values) {
            if (wanted.startsWith("*") ? value.endsWith(wanted.substring(1)) : value.equals(wanted)) {
                return true;
            }
        }
        return false;
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
