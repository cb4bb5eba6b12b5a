package dev.aeon.auth;

import java.util.Optional;

/** A caller identified by a verified API key, with what the control plane says the key may do now. */
public record ApiKeyPrincipal(String keyId, String accountId, String ownerId, String ownerType, Access access)
        implements Principal {

    @Override
    public String describe() {
        return "api key " + keyId;
    }

    @Override
    public Optional<Permission> permissionOn(String namespace) {
        return access.effectivePermission(namespace);
    }
}
