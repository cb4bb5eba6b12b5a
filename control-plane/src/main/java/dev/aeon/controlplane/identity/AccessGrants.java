package dev.aeon.controlplane.identity;

import dev.aeon.auth.ApiKeyPrincipal;
import dev.aeon.auth.NamespacePermission;
import dev.aeon.controlplane.error.CloudApiException;
import dev.aeon.controlplane.operation.AsyncOperations;
import dev.aeon.controlplane.store.Actor;
import dev.aeon.controlplane.store.Mutation;
import dev.aeon.controlplane.store.NamespaceRow;
import dev.aeon.controlplane.store.ResourceRow;
import dev.aeon.controlplane.store.ResourceStore;
import dev.aeon.controlplane.store.ServiceAccountRow;
import dev.aeon.controlplane.store.UserRow;
import io.temporal.api.cloud.identity.v1.Access;
import io.temporal.api.cloud.identity.v1.NamespaceAccess;
import io.temporal.api.cloud.operation.v1.AsyncOperation;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** Namespace permissions of users and service accounts ({@code Set*NamespaceAccess}, a creator's grant). */
@ApplicationScoped
public class AccessGrants {

    @Inject
    ResourceStore store;

    /**
     * Sets (or, with PERMISSION_UNSPECIFIED, removes) one owner's permission on one namespace. The caller holds ADMIN
     * on that namespace (the RPCs' declared access); only an OWNER changes an OWNER's.
     */
    public <R extends ResourceRow> AsyncOperation set(ApiKeyPrincipal p, Class<R> kind, String ownerField,
                                                      String ownerId, String namespace, NamespaceAccess access,
                                                      String resourceVersion, String requestedOperationId,
                                                      String operationType) {
        if (store.find(NamespaceRow.class, p.accountId(), namespace).isEmpty()) {
            throw CloudApiException.notFound("namespace", namespace);
        }
        boolean remove = access.getPermission() == NamespaceAccess.Permission.PERMISSION_UNSPECIFIED
                && access.getPermissionDeprecated().isEmpty();
        NamespaceAccess grant = remove ? null : OwnerAccess.validate(p, namespace, access, "access", store);
        String operationId = AsyncOperations.operationId(requestedOperationId);
        Mutation.Result result = store.apply(new Mutation<>(kind, Actor.of(p), ownerId, operationId, operationType,
                row -> {
                    if (row == null) {
                        throw CloudApiException.notFound(ownerField, ownerId);
                    }
                    OwnerAccess.requireMayActOn(p, row);
                    AsyncOperations.requireVersion(row, resourceVersion);
                    Access current = OwnerAccess.of(row);
                    Access.Builder next = current.toBuilder();
                    if (grant == null) {
                        next.removeNamespaceAccesses(namespace);
                    } else {
                        next.putNamespaceAccesses(namespace, grant);
                    }
                    if (next.build().equals(current)) {
                        throw CloudApiException.invalid("access", "nothing to change");
                    }
                    OwnerAccess.set(row, next.build());
                    return Mutation.Change.update(row, false);
                }));
        return AsyncOperations.toProto(result.operation());
    }

    /** Gives the principal's own identity a permission on a namespace it just created (Temporal Cloud's rule). */
    public void grant(ApiKeyPrincipal p, String namespace, NamespacePermission permission, String causeOperationId) {
        NamespaceAccess access = NamespaceAccess.newBuilder()
                .setPermission(NamespaceAccess.Permission.valueOf("PERMISSION_" + permission.name())).build();
        if (p.isUser()) {
            grant(UserRow.class, p, namespace, access, causeOperationId);
        } else {
            grant(ServiceAccountRow.class, p, namespace, access, causeOperationId);
        }
    }

    private <R extends ResourceRow> void grant(Class<R> kind, ApiKeyPrincipal p, String namespace,
                                               NamespaceAccess access, String causeOperationId) {
        store.apply(new Mutation<>(kind, Actor.of(p), p.ownerId(), causeOperationId + "/creator-access",
                "SetNamespaceAccess", row -> {
                    if (row == null) {
                        throw CloudApiException.notFound("owner", p.ownerId());
                    }
                    OwnerAccess.set(row, OwnerAccess.of(row).toBuilder().putNamespaceAccesses(namespace, access).build());
                    return Mutation.Change.update(row, false);
                }));
    }
}
