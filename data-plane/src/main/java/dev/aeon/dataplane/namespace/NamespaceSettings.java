package dev.aeon.dataplane.namespace;

import dev.aeon.auth.mtls.MtlsSettings;

import java.util.Map;

/**
 * What the control plane provisioned for a namespace (docs/internal-api.md): its owner account, retention, who may
 * connect (API keys, client certificates from the accepted CAs and filters) and its search attributes. Namespaces
 * registered over Temporal's {@code RegisterNamespace} instead have none.
 */
public record NamespaceSettings(String accountId, int retentionDays, boolean apiKeyAuthEnabled, MtlsSettings mtls,
                                Map<String, String> searchAttributes) {

    public NamespaceSettings {
        mtls = mtls == null ? MtlsSettings.DISABLED : mtls;
        searchAttributes = searchAttributes == null ? Map.of() : Map.copyOf(searchAttributes);
    }
}
