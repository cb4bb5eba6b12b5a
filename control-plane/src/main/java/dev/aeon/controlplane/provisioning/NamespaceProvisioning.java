package dev.aeon.controlplane.provisioning;

import io.temporal.api.cloud.namespace.v1.CertificateFilterSpec;
import io.temporal.api.cloud.namespace.v1.NamespaceSpec;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The body of {@code PUT /internal/v1/namespaces/{namespace}} on the data plane (docs/internal-api.md).
 *
 * @param allowCrossNamespaceCommands always false for now: the Cloud Ops API has no field for it, and Nexus is the
 *                                    supported way between namespaces
 * @param searchAttributeFields       custom search attribute name to the field the data plane stores its values
 *                                    under; a rename keeps the field
 * @param formerSearchAttributeNames  names attributes had before a rename, to their fields: history events keep
 *                                    the names of their time
 */
public record NamespaceProvisioning(String accountId, int retentionDays, boolean apiKeyAuthEnabled, Mtls mtls,
                                    Map<String, String> searchAttributes, boolean allowCrossNamespaceCommands,
                                    Map<String, String> searchAttributeFields,
                                    Map<String, String> formerSearchAttributeNames) {

    public record Mtls(boolean enabled, String acceptedClientCa, List<CertificateFilter> certificateFilters) {
    }

    public record CertificateFilter(String commonName, String organization, String organizationalUnit,
                                    String subjectAlternativeName) {
    }

    /** From a validated spec: its CA bundle is PEM text, its search attributes are in {@code search_attributes}. */
    public static NamespaceProvisioning of(String accountId, NamespaceSpec spec,
                                           Map<String, String> searchAttributeFields,
                                           Map<String, String> formerSearchAttributeNames) {
        Map<String, String> attributes = new TreeMap<>();
        spec.getSearchAttributesMap().forEach((name, type) -> attributes.put(name, temporalTypeName(type)));
        List<CertificateFilter> filters = spec.getMtlsAuth().getCertificateFiltersList().stream()
                .map(NamespaceProvisioning::filter).toList();
        return new NamespaceProvisioning(accountId, spec.getRetentionDays(), spec.getApiKeyAuth().getEnabled(),
                new Mtls(spec.getMtlsAuth().getEnabled(),
                        spec.getMtlsAuth().getAcceptedClientCa().toString(StandardCharsets.UTF_8), filters),
                attributes, false, new TreeMap<>(searchAttributeFields), new TreeMap<>(formerSearchAttributeNames));
    }

    private static CertificateFilter filter(CertificateFilterSpec f) {
        return new CertificateFilter(f.getCommonName(), f.getOrganization(), f.getOrganizationalUnit(),
                f.getSubjectAlternativeName());
    }

    /** Temporal's own names for search attribute types (IndexedValueType without its prefix, as SDKs print them). */
    public static String temporalTypeName(NamespaceSpec.SearchAttributeType type) {
        return switch (type) {
            case SEARCH_ATTRIBUTE_TYPE_TEXT -> "Text";
            case SEARCH_ATTRIBUTE_TYPE_KEYWORD -> "Keyword";
            case SEARCH_ATTRIBUTE_TYPE_INT -> "Int";
            case SEARCH_ATTRIBUTE_TYPE_DOUBLE -> "Double";
            case SEARCH_ATTRIBUTE_TYPE_BOOL -> "Bool";
            case SEARCH_ATTRIBUTE_TYPE_DATETIME -> "Datetime";
            case SEARCH_ATTRIBUTE_TYPE_KEYWORD_LIST -> "KeywordList";
            default -> throw new IllegalArgumentException("unvalidated search attribute type " + type);
        };
    }
}
