package dev.aeon.auth;

import java.util.Optional;

/** The one place that turns a principal, a namespace and a required permission into allow or a refusal. */
public final class Authorizer {

    private Authorizer() {
    }

    /**
     * Allows the call or throws. A namespace outside the caller's account is {@link AuthException.Kind#NAMESPACE_NOT_FOUND}
     * with the same message a missing namespace gets, so callers learn nothing about other tenants.
     *
     * @param operation what the caller tried, for the message (an RPC name such as {@code StartWorkflowExecution})
     */
    public static void require(Principal principal, String namespace, NamespacePermission required, String operation) {
        if (!NamespaceNames.belongsTo(namespace, principal.accountId())) {
            throw namespaceNotFound(namespace);
        }
        Optional<NamespacePermission> granted = principal.permissionOn(namespace);
        if (granted.isEmpty() && principal instanceof CertificatePrincipal) {
            // A certificate is vouched for by one namespace's CAs; on a sibling namespace it is not an identity.
            throw new AuthException(AuthException.Kind.UNAUTHENTICATED, principal.describe()
                    + " was verified for namespace " + ((CertificatePrincipal) principal).namespace()
                    + ", not for " + namespace);
        }
        if (granted.isEmpty() || !granted.get().includes(required)) {
            throw new AuthException(AuthException.Kind.PERMISSION_DENIED, principal.describe() + " has "
                    + granted.map(Enum::name).orElse("no permission") + " on namespace " + namespace + "; "
                    + operation + " needs " + required);
        }
    }

    /** The refusal for a namespace the caller may not know about; identical to "does not exist". */
    public static AuthException namespaceNotFound(String namespace) {
        return new AuthException(AuthException.Kind.NAMESPACE_NOT_FOUND, "namespace " + namespace + " not found");
    }
}
