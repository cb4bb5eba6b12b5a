package dev.aeon.controlplane.security;

import com.google.protobuf.util.Timestamps;
import dev.aeon.auth.AccountRole;
import dev.aeon.auth.ApiKeyPrincipal;
import dev.aeon.auth.NamespacePermission;
import dev.aeon.auth.OwnerType;
import dev.aeon.controlplane.error.CloudApiException;
import dev.aeon.controlplane.proto.ProtoJson;
import dev.aeon.controlplane.store.ApiKeyRow;
import dev.aeon.controlplane.store.ResourceStore;
import dev.aeon.controlplane.store.ServiceAccountRow;
import dev.aeon.controlplane.store.UserRow;
import io.temporal.api.cloud.identity.v1.Access;
import io.temporal.api.cloud.identity.v1.AccountAccess;
import io.temporal.api.cloud.identity.v1.ApiKeySpec;
import io.temporal.api.cloud.identity.v1.NamespaceAccess;
import io.temporal.api.cloud.identity.v1.ServiceAccountSpec;
import io.temporal.api.cloud.identity.v1.UserSpec;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** Reads an API key and its owner's current access from the store; the same answer for every caller. */
@ApplicationScoped
public class KeyAccessResolver {

    @Inject
    ResourceStore store;

    @Inject
    ApiKeyTokens tokens;

    /**
     * What the key may do now, in the contract's terms (docs/internal-api.md; {@code enabled} is false for a disabled
     * key). Empty when the key or its owner no longer exists.
     */
    public Optional<dev.aeon.auth.Access> resolve(String accountId, String keyId) {
        Optional<ApiKeyRow> key = store.find(ApiKeyRow.class, accountId, keyId);
        if (key.isEmpty()) {
            return Optional.empty();
        }
        ApiKeyRow row = key.get();
        ApiKeySpec spec = ProtoJson.parseStored(row.spec, ApiKeySpec.newBuilder());
        OwnerType ownerType = OwnerType.fromWire(row.ownerType);
        Optional<Access> access = ownerAccess(accountId, row.ownerId, ownerType);
        if (access.isEmpty()) {
            return Optional.empty();
        }
        Access a = access.get();
        Map<String, NamespacePermission> permissions = new HashMap<>();
        a.getNamespaceAccessesMap().forEach((namespace, grant) -> {
            NamespacePermission p = permission(grant.getPermission());
            if (p != null) {
                permissions.put(namespace, p);
            }
        });
        Instant expiry = spec.hasExpiryTime() ? Instant.ofEpochMilli(Timestamps.toMillis(spec.getExpiryTime())) : null;
        return Optional.of(new dev.aeon.auth.Access(row.id, accountId, row.ownerId, ownerType.wire,
                !spec.getDisabled(), expiry, role(a.getAccountAccess().getRole()), permissions));
    }

    /** {@code Authorization: Bearer <api key>} → the principal, or UNAUTHENTICATED saying why not. */
    public ApiKeyPrincipal authenticate(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw CloudApiException.unauthenticated("an API key is required: send Authorization: Bearer <api key>");
        }
        String token = authorization.substring(7).trim();
        ApiKeyTokens.Claims claims = tokens.verify(token);
        dev.aeon.auth.Access access = resolve(claims.accountId(), claims.keyId())
                .orElseThrow(() -> CloudApiException.unauthenticated("the API key " + claims.keyId() + " was deleted"));
        String expectedHash = store.find(ApiKeyRow.class, claims.accountId(), claims.keyId()).map(r -> r.tokenSha256)
                .orElse("");
        if (!java.security.MessageDigest.isEqual(expectedHash.getBytes(), ApiKeyTokens.sha256(token).getBytes())) {
            throw CloudApiException.unauthenticated("the API key " + claims.keyId() + " is not the one issued");
        }
        if (!access.enabled()) {
            throw CloudApiException.unauthenticated("the API key " + claims.keyId() + " is disabled");
        }
        if (access.expiredAt(Instant.now())) {
            throw CloudApiException.unauthenticated("the API key " + claims.keyId() + " has expired");
        }
        return new ApiKeyPrincipal(access.keyId(), access.accountId(), access.ownerId(), access.ownerType(), access);
    }

    /** A user's access, or a service account's (a namespace-scoped one has that one grant and no account role). */
    private Optional<Access> ownerAccess(String accountId, String ownerId, OwnerType type) {
        if (type == OwnerType.USER) {
            return store.find(UserRow.class, accountId, ownerId)
                    .map(u -> ProtoJson.<UserSpec>parseStored(u.spec, UserSpec.newBuilder()).getAccess());
        }
        return store.find(ServiceAccountRow.class, accountId, ownerId).map(sa -> {
            ServiceAccountSpec spec = ProtoJson.parseStored(sa.spec, ServiceAccountSpec.newBuilder());
            if (spec.hasNamespaceScopedAccess()) {
                return Access.newBuilder()
                        .setAccountAccess(AccountAccess.newBuilder().setRole(AccountAccess.Role.ROLE_UNSPECIFIED))
                        .putNamespaceAccesses(spec.getNamespaceScopedAccess().getNamespace(),
                                spec.getNamespaceScopedAccess().getAccess())
                        .build();
            }
            return spec.getAccess();
        });
    }

    /** The Cloud API's account role in the contract's terms; null for none (a namespace-scoped service account). */
    static AccountRole role(AccountAccess.Role role) {
        return switch (role) {
            case ROLE_OWNER -> AccountRole.OWNER;
            case ROLE_ADMIN -> AccountRole.ADMIN;
            case ROLE_DEVELOPER -> AccountRole.DEVELOPER;
            case ROLE_READ -> AccountRole.READ;
            default -> null;
        };
    }

    /** The Cloud API's namespace permission in the contract's terms; null for PERMISSION_UNSPECIFIED. */
    static NamespacePermission permission(NamespaceAccess.Permission permission) {
        return switch (permission) {
            case PERMISSION_READ -> NamespacePermission.READ;
            case PERMISSION_WRITE -> NamespacePermission.WRITE;
            case PERMISSION_ADMIN -> NamespacePermission.ADMIN;
            default -> null;
        };
    }
}
