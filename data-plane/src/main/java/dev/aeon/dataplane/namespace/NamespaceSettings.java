package dev.aeon.dataplane.namespace;

import dev.aeon.auth.mtls.MtlsSettings;

import java.util.Map;

/**
 * What the control plane provisioned for a namespace (docs/internal-api.md): its owner account, retention, who may
 * connect (API keys, client certificates from the accepted CAs and filters) and its search attributes. Namespaces
 * registered over Temporal's {@code RegisterNamespace} instead have none.
 *
 * @param allowCrossNamespaceCommands whether this namespace's workflows may command (start a child in, signal,
 *                                    cancel in) other namespaces of the same account that allow it too, and be
 *                                    commanded by them; off unless the control plane says so
 * @param searchAttributes            custom search attribute name to type
 * @param searchAttributeFields       custom search attribute name to the field its values are stored under, as the
 *                                    control plane assigned it (a rename keeps it); empty from a control plane, or in
 *                                    a record, older than fields
 * @param formerSearchAttributeNames  names custom search attributes had before a rename, to their fields: history
 *                                    events keep the names of their time, and state rebuilt from them (a reset)
 *                                    finds the fields through these
 */
public record NamespaceSettings(String accountId, int retentionDays, boolean apiKeyAuthEnabled, MtlsSettings mtls,
                                Map<String, String> searchAttributes, boolean allowCrossNamespaceCommands,
                                Map<String, String> searchAttributeFields,
                                Map<String, String> formerSearchAttributeNames) {

    public NamespaceSettings {
        mtls = mtls == null ? MtlsSettings.DISABLED : mtls;
        searchAttributes = searchAttributes == null ? Map.of() : Map.copyOf(searchAttributes);
        searchAttributeFields = searchAttributeFields == null ? Map.of() : Map.copyOf(searchAttributeFields);
        formerSearchAttributeNames = formerSearchAttributeNames == null ? Map.of()
                : Map.copyOf(formerSearchAttributeNames);
    }

    public NamespaceSettings(String accountId, int retentionDays, boolean apiKeyAuthEnabled, MtlsSettings mtls,
                             Map<String, String> searchAttributes, boolean allowCrossNamespaceCommands) {
        this(accountId, retentionDays, apiKeyAuthEnabled, mtls, searchAttributes, allowCrossNamespaceCommands, null,
                null);
    }
}
