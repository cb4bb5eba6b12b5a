package dev.aeon.controlplane.security;

import dev.aeon.auth.NamespaceNames;
import dev.aeon.controlplane.store.Actor;
import io.temporal.api.cloud.identity.v1.AccountAccess;

import java.util.Map;

/**
 * Who is calling, as its API key says and its owner's current access decides.
 *
 * @param accountRole          ROLE_UNSPECIFIED for a namespace-scoped service account
 * @param namespacePermissions explicit grants by namespace id
 */
public record Principal(String accountId, String keyId, String ownerId, OwnerType ownerType,
                        AccountAccess.Role accountRole, Map<String, NamespacePermission> namespacePermissions) {

    public enum OwnerType {
        USER("user"), SERVICE_ACCOUNT("service-account");

        /** The contract's spelling ({@code aeon_owner_type} claim, internal access endpoint). */
        public final String wire;

        OwnerType(String wire) {
            this.wire = wire;
        }

        public static OwnerType fromWire(String wire) {
            for (OwnerType type : values()) {
                if (type.wire.equals(wire)) {
                    return type;
                }
            }
            throw new IllegalArgumentException("unknown owner type " + wire);
        }
    }

    /** This principal as the audit log records it. */
    public Actor actor() {
        return new Actor(accountId, ownerType.wire, ownerId, keyId);
    }

    public boolean isAccountAdmin() {
        return accountRole == AccountAccess.Role.ROLE_OWNER || accountRole == AccountAccess.Role.ROLE_ADMIN;
    }

    /**
     * The contract's effective permission: OWNER/ADMIN → ADMIN everywhere in the account; otherwise the explicit
     * grant, raised to READ for the READ role. Null means none: the namespace is treated as missing.
     */
    public NamespacePermission permissionOn(String namespaceId) {
        if (!NamespaceNames.belongsTo(namespaceId, accountId)) {
            return null;
        }
        if (isAccountAdmin()) {
            return NamespacePermission.ADMIN;
        }
        NamespacePermission explicit = namespacePermissions.get(namespaceId);
        if (accountRole == AccountAccess.Role.ROLE_READ && explicit == null) {
            return NamespacePermission.READ;
        }
        return explicit;
    }

    /** Whether this principal sees every namespace of its account. */
    public boolean readsAllNamespaces() {
        return isAccountAdmin() || accountRole == AccountAccess.Role.ROLE_READ;
    }
}
