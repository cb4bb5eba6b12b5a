package dev.aeon.controlplane.security;

import io.temporal.api.cloud.identity.v1.AccountAccess;

import java.time.Instant;
import java.util.Map;

/**
 * What an API key may do now: the internal access endpoint's answer (docs/internal-api.md) and the source of a
 * {@link Principal}. {@code enabled} is false when the key is disabled.
 */
public record KeyAccess(String keyId, String accountId, String ownerId, Principal.OwnerType ownerType,
                        boolean enabled, Instant expiresAt, AccountAccess.Role accountRole,
                        Map<String, NamespacePermission> namespacePermissions) {

    public boolean expired(Instant now) {
        return expiresAt != null && !expiresAt.isAfter(now);
    }

    public Principal principal() {
        return new Principal(accountId, keyId, ownerId, ownerType, accountRole, namespacePermissions);
    }
}
