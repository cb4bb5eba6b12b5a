package dev.aeon.auth.mtls;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import java.util.List;

/**
 * One of a namespace's certificate filters (Temporal Cloud's {@code CertificateFilterSpec}). A client certificate
 * matches when every non-empty field matches: the leaf's CN, any of its O values, any of its OU values, any of its
 * DNS, URI or email subject alternative names. Values compare exactly, except that a value may start with a
 * wildcard label: {@code *.acme.com} matches any value ending in {@code .acme.com} with at least one label before
 * it ({@code a.acme.com}, {@code a.b.acme.com}; never {@code evilacme.com}). A {@code *} anywhere else, or alone, is
 * refused when written ({@link #invalidPattern}) and matches nothing here, so no stored value can widen a match.
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

    /**
     * Why {@code value} is not a valid filter value, or null if it is: a {@code *} is allowed only as a whole leading
     * label before a name ({@code *.acme.com}), never alone, inside a label ({@code *acme.com}, {@code a*.acme.com})
     * or further right.
     */
    public static String invalidPattern(String value) {
        String pattern = value.trim();
        int star = pattern.indexOf('*');
        if (star < 0) {
            return null;
        }
        String rest = pattern.startsWith("*.") ? pattern.substring(2) : "";
        if (star == 0 && !rest.isEmpty() && rest.indexOf('*') < 0 && !rest.startsWith(".")) {
            return null;
        }
        return "'*' is allowed only as a whole leading label before a name (\"*.acme.com\"), was \"" + value + "\"";
    }

    private static boolean anyMatches(String pattern, List<String> values) {
        String wanted = pattern.trim();
        if (invalidPattern(wanted) != null) {
            return false;
        }
        for (String value : values) {
            if (wanted.startsWith("*.") ? matchesWildcard(wanted.substring(1), value) : value.equals(wanted)) {
                return true;
            }
        }
        return false;
    }

    /** {@code value} is something non-empty followed by {@code suffix} (which starts with the dot). */
    private static boolean matchesWildcard(String suffix, String value) {
        return value.length() > suffix.length() && value.endsWith(suffix);
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
