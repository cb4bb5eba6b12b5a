package dev.aeon.controlplane.security;

import dev.aeon.auth.AccountRole;
import dev.aeon.auth.ApiKeyPrincipal;
import dev.aeon.auth.NamespacePermission;
import dev.aeon.controlplane.error.CloudApiException;

/**
 * The control plane API's rules, decided from the principal's current access: OWNER and ADMIN manage everything in
 * their account; DEVELOPER creates namespaces and manages those it has ADMIN on; READ reads. A namespace the caller
 * has no permission on is reported as missing, so nothing reveals whether it exists.
 */
public final class Authorization {

    private Authorization() {
    }

    public static void requireAccountAdmin(ApiKeyPrincipal p, String action) {
        if (!p.isAccountAdmin()) {
            throw CloudApiException.denied("account role OWNER or ADMIN is required to " + action + "; the caller's"
                    + " role is " + roleName(p));
        }
    }

    public static void requireNamespaceCreator(ApiKeyPrincipal p) {
        if (!p.isAccountAdmin() && p.accountRole() != AccountRole.DEVELOPER) {
            throw CloudApiException.denied("account role OWNER, ADMIN or DEVELOPER is required to create a namespace;"
                    + " the caller's role is " + roleName(p));
        }
    }

    /** NOT_FOUND when the caller has no permission at all on the namespace, PERMISSION_DENIED when too little. */
    public static void requireNamespace(ApiKeyPrincipal p, String namespaceId, NamespacePermission needed,
                                        String action) {
        NamespacePermission has = p.permissionOn(namespaceId)
                .orElseThrow(() -> CloudApiException.notFound("namespace", namespaceId));
        if (!has.includes(needed)) {
            throw CloudApiException.denied("namespace permission " + needed + " is required to " + action + " on "
                    + namespaceId + "; the caller has " + has);
        }
    }

    private static String roleName(ApiKeyPrincipal p) {
        return p.accountRole() == null ? "none (namespace-scoped)" : p.accountRole().name();
    }
}
