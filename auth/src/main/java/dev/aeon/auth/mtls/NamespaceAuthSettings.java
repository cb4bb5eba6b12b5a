package dev.aeon.auth.mtls;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The auth-relevant part of a provisioned namespace ({@code PUT /internal/v1/namespaces/{namespace}}): which account
 * owns it and which credentials it accepts. Unknown fields (retention, search attributes) are ignored.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record NamespaceAuthSettings(String accountId, boolean apiKeyAuthEnabled, MtlsSettings mtls) {

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    public NamespaceAuthSettings {
        mtls = mtls == null ? MtlsSettings.DISABLED : mtls;
    }

    /** Parses the provisioning body; throws IllegalArgumentException naming what is wrong. */
    public static NamespaceAuthSettings parse(String json) {
        NamespaceAuthSettings settings;
        try {
            settings = JSON.readValue(json, NamespaceAuthSettings.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("namespace settings are not the contract's JSON: "
                    + e.getOriginalMessage(), e);
        }
        if (settings.accountId() == null || settings.accountId().isBlank()) {
            throw new IllegalArgumentException("namespace settings lack accountId");
        }
        return settings;
    }
}
