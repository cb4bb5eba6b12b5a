package dev.aeon.auth;

import java.util.Map;
import java.util.Optional;

/**
 * A caller identified by a verified API key, with what the control plane says the key may do now. The data plane and
 * the codec server get one from {@code ApiKeyAuthenticator}; the control plane builds it from its own store.
 *
 * @param keyId     null for changes the control plane makes on its own behalf (bootstrap)
 * @param ownerType the contract's spelling ({@link OwnerType#wire})
 */
public record ApiKeyPrincipal(String keyId, String accountId, String ownerId, String ownerType, Access access)
        implements Principal {

    /** An account's OWNER acting without an API key: what the control plane does for itself at bootstrap. */
    public static ApiKeyPrincipal accountOwner(String accountId, String ownerId) {
        return new ApiKeyPrincipal(null, accountId, ownerId, OwnerType.USER.wire, new Access(null, accountId, ownerId,
                OwnerType.USER.wire, true, null, AccountRole.OWNER, Map.of()));
    }

    @Override
    public String describe() {
        return "api key " + keyId;
    }

    @Override
    public Optional<NamespacePermission> permissionOn(String namespace) {
        return access.effectivePermission(namespace);
    }

    /** The owner's account role; null for a service account scoped to one namespace. */
    public AccountRole accountRole() {
        return access.accountRole();
    }

    public boolean isUser() {
        return OwnerType.USER.wire.equals(ownerType);
    }

    /** OWNER or ADMIN: everything in the account. */
    public boolean isAccountAdmin() {
        return access.accountRole() == AccountRole.OWNER || access.accountRole() == AccountRole.ADMIN;
    }

    /** Whether this caller sees every namespace of its account (else only those it was granted). */
    public boolean readsAllNamespaces() {
        return isAccountAdmin() || access.accountRole() == AccountRole.READ;
    }
}
