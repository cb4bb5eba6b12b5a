package dev.aeon.auth.apikey;

import java.time.Instant;

/**
 * The verified claims of an API key (docs/internal-api.md): who it is, not yet what it may do.
 *
 * @param keyId the API key's id ({@code jti})
 * @param ownerId the user or service account that owns the key ({@code sub})
 * @param ownerType {@code user} or {@code service-account} ({@code aeon_owner_type})
 * @param accountId the owner's account ({@code aeon_account})
 * @param signingKeyId the control plane signing key that signed it ({@code kid})
 */
public record ApiKeyClaims(
        String keyId,
        String ownerId,
        String ownerType,
        String accountId,
        Instant issuedAt,
        Instant expiresAt,
        String signingKeyId) {
}
