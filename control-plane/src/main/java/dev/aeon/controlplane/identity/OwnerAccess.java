package dev.aeon.controlplane.identity;

import dev.aeon.auth.AccountRole;
import dev.aeon.auth.ApiKeyPrincipal;
import dev.aeon.controlplane.error.CloudApiException;
import dev.aeon.controlplane.proto.ProtoJson;
import dev.aeon.controlplane.store.NamespaceRow;
import dev.aeon.controlplane.store.ResourceRow;
import dev.aeon.controlplane.store.ResourceStore;
import dev.aeon.controlplane.store.UserRow;
import io.temporal.api.cloud.identity.v1.Access;
import io.temporal.api.cloud.identity.v1.AccountAccess;
import io.temporal.api.cloud.identity.v1.NamespaceAccess;
import io.temporal.api.cloud.identity.v1.ServiceAccountSpec;
import io.temporal.api.cloud.identity.v1.UserSpec;

import java.util.Set;

/** The access model shared by users and service accounts: one account role, permissions per namespace. */
final class OwnerAccess {

    static final Set<AccountAccess.Role> ROLES = Set.of(AccountAccess.Role.ROLE_OWNER, AccountAccess.Role.ROLE_ADMIN,
            AccountAccess.Role.ROLE_DEVELOPER, AccountAccess.Role.ROLE_READ);

    private OwnerAccess() {
    }

    /** Validates an {@link Access} a principal wants to give: known role, existing namespaces, OWNER only by OWNER. */
    static Access validate(ApiKeyPrincipal p, Access access, String field, ResourceStore store) {
        AccountAccess.Role role = access.getAccountAccess().getRole();
        if (role == AccountAccess.Role.ROLE_UNSPECIFIED && !access.getAccountAccess().getRoleDeprecated().isEmpty()) {
            role = roleNamed(access.getAccountAccess().getRoleDeprecated(), field);
        }
        if (!ROLES.contains(role)) {
            throw CloudApiException.invalid(field + ".account_access.role", "must be one of OWNER, ADMIN, DEVELOPER,"
                    + " READ; was " + access.getAccountAccess().getRole());
        }
        if (role == AccountAccess.Role.ROLE_OWNER && p.accountRole() != AccountRole.OWNER) {
            throw CloudApiException.denied("only an OWNER can grant the OWNER role");
        }
        Access.Builder out = access.toBuilder().setAccountAccess(AccountAccess.newBuilder().setRole(role));
        access.getNamespaceAccessesMap().forEach((namespace, grant) ->
                out.putNamespaceAccesses(namespace, validate(p, namespace, grant,
                        field + ".namespace_accesses[" + namespace + "]", store)));
        return out.build();
    }

    /**
     * Only an OWNER acts on an OWNER (changes, removes, issues or manages API keys for it): otherwise an ADMIN could
     * issue itself a key of an owner, or demote or remove the owners, and so take the account.
     */
    static void requireMayActOn(ApiKeyPrincipal p, ResourceRow target) {
        if (of(target).getAccountAccess().getRole() == AccountAccess.Role.ROLE_OWNER
                && p.accountRole() != AccountRole.OWNER) {
            throw CloudApiException.denied("only an OWNER can act on an OWNER (" + target.id + ")");
        }
    }

    static NamespaceAccess validate(ApiKeyPrincipal p, String namespace, NamespaceAccess grant, String field,
                                    ResourceStore store) {
        if (store.find(NamespaceRow.class, p.accountId(), namespace).isEmpty()) {
            throw CloudApiException.invalid(field, "namespace " + namespace + " does not exist in this account");
        }
        NamespaceAccess.Permission permission = grant.getPermission();
        if (permission == NamespaceAccess.Permission.PERMISSION_UNSPECIFIED && !grant.getPermissionDeprecated().isEmpty()) {
            permission = permissionNamed(grant.getPermissionDeprecated(), field);
        }
        if (permission == NamespaceAccess.Permission.PERMISSION_UNSPECIFIED
                || permission == NamespaceAccess.Permission.UNRECOGNIZED) {
            throw CloudApiException.invalid(field + ".permission", "must be one of ADMIN, WRITE, READ");
        }
        return NamespaceAccess.newBuilder().setPermission(permission).build();
    }

    static Access of(ResourceRow row) {
        if (row instanceof UserRow user) {
            return ProtoJson.<UserSpec>parseStored(user.spec, UserSpec.newBuilder()).getAccess();
        }
        return ProtoJson.<ServiceAccountSpec>parseStored(row.spec, ServiceAccountSpec.newBuilder()).getAccess();
    }

    /** Replaces the row's access in its spec (a namespace-scoped service account keeps its scoped grant). */
    static void set(ResourceRow row, Access access) {
        if (row instanceof UserRow) {
            UserSpec spec = ProtoJson.parseStored(row.spec, UserSpec.newBuilder());
            row.spec = ProtoJson.print(spec.toBuilder().setAccess(access));
        } else {
            ServiceAccountSpec spec = ProtoJson.parseStored(row.spec, ServiceAccountSpec.newBuilder());
            row.spec = ProtoJson.print(spec.toBuilder().setAccess(access));
        }
    }

    private static AccountAccess.Role roleNamed(String name, String field) {
        try {
            return AccountAccess.Role.valueOf("ROLE_" + name.toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw CloudApiException.invalid(field + ".account_access.role", "unknown role \"" + name + "\"");
        }
    }

    private static NamespaceAccess.Permission permissionNamed(String name, String field) {
        try {
            return NamespaceAccess.Permission.valueOf("PERMISSION_" + name.toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw CloudApiException.invalid(field + ".permission", "unknown permission \"" + name + "\"");
        }
    }
}
