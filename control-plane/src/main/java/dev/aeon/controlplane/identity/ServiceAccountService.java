package dev.aeon.controlplane.identity;

import dev.aeon.auth.ApiKeyPrincipal;
import dev.aeon.controlplane.error.CloudApiException;
import dev.aeon.controlplane.operation.AsyncOperations;
import dev.aeon.controlplane.operation.ImmediateChanges;
import dev.aeon.controlplane.operation.ResourceProtos;
import dev.aeon.controlplane.proto.Paging;
import dev.aeon.controlplane.proto.ProtoJson;
import dev.aeon.controlplane.store.Actor;
import dev.aeon.controlplane.store.Mutation.Change;
import dev.aeon.controlplane.store.Mutation;
import dev.aeon.controlplane.store.ResourceStore;
import dev.aeon.controlplane.store.ServiceAccountRow;
import io.temporal.api.cloud.cloudservice.v1.CreateServiceAccountRequest;
import io.temporal.api.cloud.cloudservice.v1.CreateServiceAccountResponse;
import io.temporal.api.cloud.cloudservice.v1.DeleteServiceAccountRequest;
import io.temporal.api.cloud.cloudservice.v1.DeleteServiceAccountResponse;
import io.temporal.api.cloud.cloudservice.v1.GetServiceAccountRequest;
import io.temporal.api.cloud.cloudservice.v1.GetServiceAccountResponse;
import io.temporal.api.cloud.cloudservice.v1.GetServiceAccountsRequest;
import io.temporal.api.cloud.cloudservice.v1.GetServiceAccountsResponse;
import io.temporal.api.cloud.cloudservice.v1.SetServiceAccountNamespaceAccessRequest;
import io.temporal.api.cloud.cloudservice.v1.SetServiceAccountNamespaceAccessResponse;
import io.temporal.api.cloud.cloudservice.v1.UpdateServiceAccountRequest;
import io.temporal.api.cloud.cloudservice.v1.UpdateServiceAccountResponse;
import io.temporal.api.cloud.identity.v1.NamespaceScopedAccess;
import io.temporal.api.cloud.identity.v1.ServiceAccount;
import io.temporal.api.cloud.identity.v1.ServiceAccountSpec;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.UUID;

/**
 * Service accounts: identities for machines, with the users' access model, or scoped to one namespace
 * ({@code namespace_scoped_access}). Everyone in the account reads them; OWNER and ADMIN change them.
 */
@ApplicationScoped
public class ServiceAccountService {

    private static final int MAX_NAME = 200;

    @Inject
    ResourceStore store;

    @Inject
    AccessGrants grants;

    public CreateServiceAccountResponse create(ApiKeyPrincipal p, CreateServiceAccountRequest request) {
        ServiceAccountSpec spec = validate(p, request.getSpec());
        String id = "sa-" + UUID.randomUUID();
        ServiceAccountRow row = new ServiceAccountRow();
        row.id = id;
        row.name = spec.getName();
        row.spec = ProtoJson.print(spec);
        Mutation.Result result = ImmediateChanges.create(store, p, row, request.getAsyncOperationId(),
                "CreateServiceAccount");
        return CreateServiceAccountResponse.newBuilder().setServiceAccountId(result.resourceId())
                .setAsyncOperation(AsyncOperations.toProto(result.operation())).build();
    }

    public GetServiceAccountResponse get(ApiKeyPrincipal p, GetServiceAccountRequest request) {
        ServiceAccountRow row = ResourceProtos.existing(store.find(ServiceAccountRow.class, p.accountId(),
                request.getServiceAccountId()).orElse(null), "service account", request.getServiceAccountId());
        return GetServiceAccountResponse.newBuilder().setServiceAccount(toProto(row)).build();
    }

    public GetServiceAccountsResponse list(ApiKeyPrincipal p, GetServiceAccountsRequest request) {
        Paging paging = Paging.of(request.getPageSize(), request.getPageToken());
        var page = paging.page(store.list(ServiceAccountRow.class, p.accountId(), ResourceStore.ListFilter.all(),
                paging.afterId(), paging.fetchSize()), r -> r.id);
        GetServiceAccountsResponse.Builder response = GetServiceAccountsResponse.newBuilder()
                .setNextPageToken(page.nextPageToken());
        page.rows().forEach(row -> response.addServiceAccount(toProto(row)));
        return response.build();
    }

    public UpdateServiceAccountResponse update(ApiKeyPrincipal p, UpdateServiceAccountRequest request) {
        ServiceAccountSpec next = validate(p, request.getSpec());
        Mutation.Result result = store.apply(new Mutation<>(ServiceAccountRow.class, Actor.of(p),
                request.getServiceAccountId(), AsyncOperations.operationId(request.getAsyncOperationId()),
                "UpdateServiceAccount", row -> {
                    ServiceAccountRow current = ResourceProtos.existing(row, "service account", request.getServiceAccountId());
                    OwnerAccess.requireMayActOn(p, current);
                    AsyncOperations.requireVersion(current, request.getResourceVersion());
                    String spec = ProtoJson.print(next);
                    if (spec.equals(current.spec)) {
                        throw CloudApiException.invalid("spec", "nothing to change");
                    }
                    current.spec = spec;
                    current.name = next.getName();
                    return Change.update(current, false);
                }));
        return UpdateServiceAccountResponse.newBuilder()
                .setAsyncOperation(AsyncOperations.toProto(result.operation())).build();
    }

    public DeleteServiceAccountResponse delete(ApiKeyPrincipal p, DeleteServiceAccountRequest request) {
        return DeleteServiceAccountResponse.newBuilder().setAsyncOperation(ImmediateChanges.delete(store, p,
                ServiceAccountRow.class, "service account", request.getServiceAccountId(),
                request.getResourceVersion(), request.getAsyncOperationId(), "DeleteServiceAccount",
                current -> OwnerAccess.requireMayActOn(p, current))).build();
    }

    public SetServiceAccountNamespaceAccessResponse setNamespaceAccess(ApiKeyPrincipal p,
                                                                       SetServiceAccountNamespaceAccessRequest request) {
        return SetServiceAccountNamespaceAccessResponse.newBuilder().setAsyncOperation(grants.set(p,
                ServiceAccountRow.class, "service account", request.getServiceAccountId(), request.getNamespace(),
                request.getAccess(), request.getResourceVersion(), request.getAsyncOperationId(),
                "SetServiceAccountNamespaceAccess")).build();
    }

    private ServiceAccountSpec validate(ApiKeyPrincipal p, ServiceAccountSpec spec) {
        if (spec.getName().isBlank() || spec.getName().length() > MAX_NAME) {
            throw CloudApiException.invalid("spec.name", "is required, at most " + MAX_NAME + " characters");
        }
        ServiceAccountSpec.Builder out = spec.toBuilder();
        if (spec.hasNamespaceScopedAccess()) {
            if (spec.hasAccess()) {
                throw CloudApiException.invalid("spec.access", "set access or namespace_scoped_access, not both");
            }
            NamespaceScopedAccess scoped = spec.getNamespaceScopedAccess();
            out.setNamespaceScopedAccess(scoped.toBuilder().setAccess(OwnerAccess.validate(p, scoped.getNamespace(),
                    scoped.getAccess(), "spec.namespace_scoped_access", store)));
        } else {
            out.setAccess(OwnerAccess.validate(p, spec.getAccess(), "spec.access", store));
        }
        return out.build();
    }

    static ServiceAccount toProto(ServiceAccountRow row) {
        return ResourceProtos.toProto(ServiceAccount.newBuilder(), row, "id");
    }
}
