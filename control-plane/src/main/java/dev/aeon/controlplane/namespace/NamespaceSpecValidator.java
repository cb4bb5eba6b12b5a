package dev.aeon.controlplane.namespace;

import com.google.protobuf.ByteString;
import dev.aeon.auth.mtls.CertificateFilter;
import dev.aeon.controlplane.error.CloudApiException;
import io.temporal.api.cloud.namespace.v1.CertificateFilterSpec;
import io.temporal.api.cloud.namespace.v1.MtlsAuthSpec;
import io.temporal.api.cloud.namespace.v1.NamespaceSpec.SearchAttributeType;
import io.temporal.api.cloud.namespace.v1.NamespaceSpec;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Temporal Cloud's rules for a {@link NamespaceSpec}, and its normal form: deprecated fields folded into their
 * replacements ({@code regions}, {@code custom_search_attributes}, {@code accepted_client_ca_deprecated}), the CA
 * bundle as PEM text. Every rejection names the field and the rule.
 */
final class NamespaceSpecValidator {

    static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,37}[a-z0-9]");
    private static final Pattern SEARCH_ATTRIBUTE_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,63}");
    /** Temporal Cloud's limit on custom search attributes per namespace. */
    static final int MAX_SEARCH_ATTRIBUTES = 100;
    private static final int MIN_RETENTION_DAYS = 1;
    private static final int MAX_RETENTION_DAYS = 90;

    private NamespaceSpecValidator() {
    }

    static NamespaceSpec normalize(NamespaceSpec spec, Regions regions) {
        if (!NAME.matcher(spec.getName()).matches()) {
            throw CloudApiException.invalid("spec.name", "must be 2-39 lowercase letters, digits and hyphens,"
                    + " starting with a letter and not ending with a hyphen; was \"" + spec.getName() + "\"");
        }
        NamespaceSpec.Builder out = spec.toBuilder();
        List<String> requested = spec.getRegionsList();
        if (requested.isEmpty()) {
            out.addRegions(regions.defaultRegion());
        } else if (requested.size() > 1) {
            throw CloudApiException.invalid("spec.regions", "one region per namespace (multi-region namespaces are"
                    + " not supported); was " + requested);
        } else if (!regions.exists(requested.get(0))) {
            throw CloudApiException.invalid("spec.regions", "unknown region \"" + requested.get(0) + "\"; regions are "
                    + regions.ids());
        }
        if (spec.getRetentionDays() < MIN_RETENTION_DAYS || spec.getRetentionDays() > MAX_RETENTION_DAYS) {
            throw CloudApiException.invalid("spec.retention_days", "must be " + MIN_RETENTION_DAYS + "-"
                    + MAX_RETENTION_DAYS + " days; was " + spec.getRetentionDays());
        }
        out.setMtlsAuth(mtls(spec.getMtlsAuth()));
        if (!out.getMtlsAuth().getEnabled() && !spec.getApiKeyAuth().getEnabled()) {
            throw CloudApiException.invalid("spec.api_key_auth.enabled", "a namespace needs mtls_auth or api_key_auth"
                    + " enabled (or both)");
        }
        searchAttributes(spec, out);
        String codec = spec.getCodecServer().getEndpoint();
        if (!codec.isEmpty() && !isHttpUrl(codec)) {
            throw CloudApiException.invalid("spec.codec_server.endpoint", "must be an absolute http(s) URL; was \""
                    + codec + "\"");
        }
        return out.build();
    }

    /** What an update may not do: rename the namespace, move it, drop or retype a search attribute. */
    static void checkUpdate(NamespaceSpec current, NamespaceSpec next) {
        if (!current.getName().equals(next.getName())) {
            throw CloudApiException.invalid("spec.name", "cannot change (\"" + current.getName() + "\")");
        }
        if (!current.getRegionsList().equals(next.getRegionsList())) {
            throw CloudApiException.invalid("spec.regions", "cannot change (" + current.getRegionsList() + ")");
        }
        current.getSearchAttributesMap().forEach((name, type) -> {
            SearchAttributeType now = next.getSearchAttributesMap().get(name);
            if (now == null) {
                throw CloudApiException.invalid("spec.search_attributes", "\"" + name + "\" cannot be removed (rename"
                        + " it with RenameCustomSearchAttribute instead)");
            }
            if (now != type) {
                throw CloudApiException.invalid("spec.search_attributes", "\"" + name + "\" cannot change type from "
                        + type + " to " + now);
            }
        });
    }

    static void checkSearchAttributeCount(String field, int count) {
        if (count > MAX_SEARCH_ATTRIBUTES) {
            throw CloudApiException.invalid(field, "a namespace has at most " + MAX_SEARCH_ATTRIBUTES
                    + " custom search attributes; this would make " + count);
        }
    }

    static void checkSearchAttributeName(String field, String name) {
        if (!SEARCH_ATTRIBUTE_NAME.matcher(name).matches()) {
            throw CloudApiException.invalid(field, "must be a letter then up to 63 letters, digits or underscores;"
                    + " was \"" + name + "\"");
        }
    }

    private static void searchAttributes(NamespaceSpec spec, NamespaceSpec.Builder out) {
        out.clearCustomSearchAttributes();
        spec.getCustomSearchAttributesMap().forEach((name, typeName) -> {
            SearchAttributeType type = typeNamed(typeName);
            if (type == null) {
                throw CloudApiException.invalid("spec.custom_search_attributes", "\"" + name + "\" has unknown type \""
                        + typeName + "\" (Text, Keyword, Int, Double, Bool, Datetime, KeywordList)");
            }
            out.putSearchAttributes(name, type);
        });
        checkSearchAttributeCount("spec.search_attributes", out.getSearchAttributesCount());
        out.getSearchAttributesMap().forEach((name, type) -> {
            checkSearchAttributeName("spec.search_attributes", name);
            if (type == SearchAttributeType.SEARCH_ATTRIBUTE_TYPE_UNSPECIFIED || type == SearchAttributeType.UNRECOGNIZED) {
                throw CloudApiException.invalid("spec.search_attributes", "\"" + name + "\" needs a type");
            }
        });
    }

    static SearchAttributeType typeNamed(String name) {
        String wanted = name.replace("_", "").toLowerCase(Locale.ROOT);
        for (SearchAttributeType type : SearchAttributeType.values()) {
            if (type != SearchAttributeType.UNRECOGNIZED && type != SearchAttributeType.SEARCH_ATTRIBUTE_TYPE_UNSPECIFIED
                    && type.name().substring("SEARCH_ATTRIBUTE_TYPE_".length()).replace("_", "")
                    .toLowerCase(Locale.ROOT).equals(wanted)) {
                return type;
            }
        }
        return null;
    }

    private static MtlsAuthSpec mtls(MtlsAuthSpec mtls) {
        MtlsAuthSpec.Builder out = mtls.toBuilder().clearAcceptedClientCaDeprecated();
        ByteString ca = mtls.getAcceptedClientCa();
        if (ca.isEmpty() && !mtls.getAcceptedClientCaDeprecated().isEmpty()) {
            ca = ByteString.copyFromUtf8(mtls.getAcceptedClientCaDeprecated());
        }
        if (!ca.isEmpty()) {
            String pem = pemText(ca);
            checkCaBundle(pem);
            out.setAcceptedClientCa(ByteString.copyFromUtf8(pem));
        } else if (mtls.getEnabled()) {
            throw CloudApiException.invalid("spec.mtls_auth.accepted_client_ca", "is required when mtls_auth is"
                    + " enabled");
        }
        for (int i = 0; i < mtls.getCertificateFiltersCount(); i++) {
            CertificateFilterSpec f = mtls.getCertificateFilters(i);
            if (f.getCommonName().isEmpty() && f.getOrganization().isEmpty() && f.getOrganizationalUnit().isEmpty()
                    && f.getSubjectAlternativeName().isEmpty()) {
                throw CloudApiException.invalid("spec.mtls_auth.certificate_filters[" + i + "]", "needs at least one"
                        + " of common_name, organization, organizational_unit, subject_alternative_name");
            }
            checkFilterValue(i, "common_name", f.getCommonName());
            checkFilterValue(i, "organization", f.getOrganization());
            checkFilterValue(i, "organizational_unit", f.getOrganizationalUnit());
            checkFilterValue(i, "subject_alternative_name", f.getSubjectAlternativeName());
        }
        return out.build();
    }

    private static void checkFilterValue(int index, String field, String value) {
        String invalid = CertificateFilter.invalidPattern(value);
        if (invalid != null) {
            throw CloudApiException.invalid("spec.mtls_auth.certificate_filters[" + index + "]." + field, invalid);
        }
    }

    /** Clients send the bundle as PEM bytes, or (Terraform, tcld) as base64 of the PEM. */
    private static String pemText(ByteString ca) {
        String text = ca.toStringUtf8().trim();
        if (text.contains("-----BEGIN")) {
            return text + "\n";
        }
        try {
            String decoded = new String(Base64.getMimeDecoder().decode(text), StandardCharsets.UTF_8).trim();
            if (decoded.contains("-----BEGIN")) {
                return decoded + "\n";
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw CloudApiException.invalid("spec.mtls_auth.accepted_client_ca", "must be a PEM bundle of CA"
                + " certificates (or base64 of one)");
    }

    private static void checkCaBundle(String pem) {
        Collection<? extends Certificate> certificates;
        try {
            certificates = CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.UTF_8)));
        } catch (CertificateException e) {
            throw CloudApiException.invalid("spec.mtls_auth.accepted_client_ca", "is not a parseable PEM bundle of"
                    + " X.509 certificates: " + e.getMessage());
        }
        if (certificates.isEmpty()) {
            throw CloudApiException.invalid("spec.mtls_auth.accepted_client_ca", "contains no certificate");
        }
        List<String> notCa = new ArrayList<>();
        for (Certificate c : certificates) {
            X509Certificate x509 = (X509Certificate) c;
            if (x509.getBasicConstraints() < 0) {
                notCa.add(x509.getSubjectX500Principal().getName());
            }
        }
        if (!notCa.isEmpty()) {
            throw CloudApiException.invalid("spec.mtls_auth.accepted_client_ca", "every certificate must be a CA"
                    + " (basicConstraints CA:TRUE); not a CA: " + notCa);
        }
    }

    private static boolean isHttpUrl(String url) {
        try {
            URI uri = new URI(url);
            return uri.isAbsolute() && ("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))
                    && uri.getHost() != null;
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }

    static Map<String, String> checkTags(Map<String, String> tags, String field) {
        tags.forEach((key, value) -> {
            if (key.isBlank() || key.length() > 63 || value.length() > 255) {
                throw CloudApiException.invalid(field, "keys must be 1-63 characters and values at most 255; \""
                        + key + "\" is not");
            }
        });
        return tags;
    }
}
