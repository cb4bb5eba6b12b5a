package dev.aeon.controlplane.security;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
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

    /** Allows {@code request} or throws PERMISSION_DENIED (or NOT_FOUND for a namespace the caller may not see). */
    public static void require(ApiKeyPrincipal p, RequiredAccess required, Message request) {
        if (required instanceof RequiredAccess.AccountRoleIn role) {
            if (p.accountRole() == null || !role.roles().contains(p.accountRole())) {
                throw CloudApiException.denied("account role " + names(role) + " is required to " + role.action()
                        + "; the caller's role is " + roleName(p));
            }
        } else if (required instanceof RequiredAccess.OnNamespace namespace) {
            requireNamespace(p, (String) request.getField(namespaceField(request.getDescriptorForType())),
                    namespace.permission(), namespace.action());
        }
    }

    /**
     * The {@code namespace} field an {@link RequiredAccess.OnNamespace} RPC's request must have;
     * IllegalArgumentException when it has none, so a wrong declaration stops the start, not a call.
     */
    public static FieldDescriptor namespaceField(Descriptor request) {
        FieldDescriptor field = request.findFieldByName("namespace");
        if (field == null || field.getJavaType() != FieldDescriptor.JavaType.STRING || field.isRepeated()) {
            throw new IllegalArgumentException(request.getName() + " has no string field namespace");
        }
        return field;
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

    /** "OWNER or ADMIN", "OWNER, ADMIN or DEVELOPER". */
    private static String names(RequiredAccess.AccountRoleIn role) {
        StringBuilder names = new StringBuilder();
        for (int i = 0; i < role.roles().size(); i++) {
            if (i > 0) {
                names.append(i == role.roles().size() - 1 ? " or " : ", ");
            }
            names.append(role.roles().get(i).name());
        }
        return names.toString();
    }

    private static String roleName(ApiKeyPrincipal p) {
        return p.accountRole() == null ? "none (namespace-scoped)" : p.accountRole().name();
    }
}
