package dev.aeon.auth;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What an API key may do now: the control plane's answer to {@code GET /internal/v1/api-keys/{keyId}/access}
 * (docs/internal-api.md).
 *
 * @param namespacePermissions explicit grants by full namespace name ({@code orders.a1b2c3})
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Access(
        String keyId,
        String accountId,
        String ownerId,
        String ownerType,
        boolean enabled,
        Instant expiresAt,
        AccountRole accountRole,
        Map<String, NamespacePermission> namespacePermissions) {

    private static final ObjectMapper JSON = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .enable(DeserializationFeature.READ_UNKNOWN_ENUM_VALUES_AS_NULL)
            .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .build();

    public Access {
        namespacePermissions = namespacePermissions == null ? Map.of() : Map.copyOf(withoutNulls(namespacePermissions));
    }

    /** Parses the access endpoint's JSON; an unknown role or permission grants nothing rather than failing. */
    public static Access parse(String json) {
        Access access;
        try {
            access = JSON.readValue(json, Access.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("access response is not the contract's JSON: "
                    + e.getOriginalMessage(), e);
        }
        if (access.keyId() == null || access.accountId() == null) {
            throw new IllegalArgumentException("access response lacks keyId or accountId");
        }
        return access;
    }

    /** Serializes as the access endpoint does (used by tests and by the control plane if it likes). */
    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether the key is past its expiry at {@code now}. */
    public boolean expiredAt(Instant now) {
        return expiresAt != null && !now.isBefore(expiresAt);
    }

    /**
     * The effective permission on {@code namespace}, per the contract: empty when the namespace is not this
     * account's (callers must then answer as if it did not exist, see {@link Authorizer}) or when nothing is granted.
     * OWNER and ADMIN get ADMIN everywhere in the account; otherwise the explicit grant, and role READ gives at
     * least READ.
     */
    public Optional<NamespacePermission> effectivePermission(String namespace) {
        if (!NamespaceNames.belongsTo(namespace, accountId)) {
            return Optional.empty();
        }
        if (accountRole == AccountRole.OWNER || accountRole == AccountRole.ADMIN) {
            return Optional.of(NamespacePermission.ADMIN);
        }
        NamespacePermission granted = namespacePermissions.get(namespace);
        if (accountRole == AccountRole.READ) {
            granted = NamespacePermission.max(granted, NamespacePermission.READ);
        }
        return Optional.ofNullable(granted);
    }

    private static Map<String, NamespacePermission> withoutNulls(Map<String, NamespacePermission> permissions) {
        Map<String, NamespacePermission> copy = new HashMap<>();
        permissions.forEach((namespace, permission) -> {
            if (namespace != null && permission != null) {
                copy.put(namespace, permission);
            }
        });
        return copy;
    }
}
