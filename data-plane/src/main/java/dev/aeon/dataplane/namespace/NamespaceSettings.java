package dev.aeon.dataplane.namespace;

import java.util.List;
import java.util.Map;

/**
 * What the control plane provisioned for a namespace (docs/internal-api.md): its owner account, retention, who may
 * connect (API keys, client certificates from the accepted CAs) and its search attributes. Namespaces registered
 * over Temporal's {@code RegisterNamespace} instead have none.
 */
public record NamespaceSettings(String accountId, int retentionDays, boolean apiKeyAuthEnabled, Mtls mtls,
                                Map<String, String> searchAttributes) {

    public NamespaceSettings {
        mtls = mtls == null ? Mtls.DISABLED : mtls;
        searchAttributes = searchAttributes == null ? Map.of() : Map.copyOf(searchAttributes);
    }

    public record Mtls(boolean enabled, String acceptedClientCa, List<CertificateFilter> certificateFilters) {

        static final Mtls DISABLED = new Mtls(false, "", List.of());

        public Mtls {
            acceptedClientCa = acceptedClientCa == null ? "" : acceptedClientCa;
            certificateFilters = certificateFilters == null ? List.of() : List.copyOf(certificateFilters);
        }
    }

    public record CertificateFilter(String commonName, String organization, String organizationalUnit,
                                    String subjectAlternativeName) {
    }
}
