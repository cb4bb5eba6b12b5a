package dev.aeon.controlplane.store;

import dev.aeon.auth.ApiKeyPrincipal;

/**
 * Who makes a change, as the audit log records it.
 *
 * @param principalType {@code user} or {@code service-account}
 * @param apiKeyId      the key the call was made with; null for changes the control plane makes itself (bootstrap)
 */
public record Actor(String accountId, String principalType, String principalId, String apiKeyId) {

    public static Actor of(ApiKeyPrincipal principal) {
        return new Actor(principal.accountId(), principal.ownerType(), principal.ownerId(), principal.keyId());
    }
}
