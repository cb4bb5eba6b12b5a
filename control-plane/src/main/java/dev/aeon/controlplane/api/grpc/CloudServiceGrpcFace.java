package dev.aeon.controlplane.api.grpc;

import com.google.protobuf.Message;
import dev.aeon.controlplane.api.CloudOperations;
import dev.aeon.controlplane.error.CloudApiException;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.temporal.api.cloud.cloudservice.v1.*;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/**
 * Temporal's {@code CloudService} over gRPC, on the HTTP port. Each RPC runs {@link CloudOperations} on a worker
 * thread (the store blocks); RPCs Aeon does not implement answer UNIMPLEMENTED from the generated base class.
 * Served through {@link CloudServiceEndpoint} (so a bean only of this type: Quarkus would serve any gRPC service bean
 * itself).
 */
@jakarta.inject.Singleton
@jakarta.enterprise.inject.Typed(CloudServiceGrpcFace.class)
public class CloudServiceGrpcFace extends CloudServiceGrpc.CloudServiceImplBase {

    private static final Logger LOG = Logger.getLogger(CloudServiceGrpcFace.class);

    @Inject
    CloudOperations operations;

    @Inject
    Vertx vertx;

    @SuppressWarnings("unchecked")
    private <S extends Message> void call(Message request, StreamObserver<S> response) {
        String authorization = AuthorizationHeader.VALUE.get();
        vertx.executeBlocking(() -> operations.invoke(authorization, request), false).onComplete(result -> {
            if (result.succeeded()) {
                response.onNext((S) result.result());
                response.onCompleted();
            } else {
                response.onError(status(result.cause()).asRuntimeException());
            }
        });
    }

    private static Status status(Throwable failure) {
        if (failure instanceof CloudApiException e) {
            return e.toStatus();
        }
        LOG.error("unexpected error in a CloudService call", failure);
        return Status.INTERNAL.withDescription("internal error");
    }

    @Override
    public void getAsyncOperation(GetAsyncOperationRequest request, StreamObserver<GetAsyncOperationResponse> response) {
        call(request, response);
    }

    @Override
    public void getAccount(GetAccountRequest request, StreamObserver<GetAccountResponse> response) {
        call(request, response);
    }

    @Override
    public void getCurrentIdentity(GetCurrentIdentityRequest request, StreamObserver<GetCurrentIdentityResponse> response) {
        call(request, response);
    }

    @Override
    public void getRegions(GetRegionsRequest request, StreamObserver<GetRegionsResponse> response) {
        call(request, response);
    }

    @Override
    public void getRegion(GetRegionRequest request, StreamObserver<GetRegionResponse> response) {
        call(request, response);
    }

    @Override
    public void getAuditLogs(GetAuditLogsRequest request, StreamObserver<GetAuditLogsResponse> response) {
        call(request, response);
    }

    @Override
    public void createNamespace(CreateNamespaceRequest request, StreamObserver<CreateNamespaceResponse> response) {
        call(request, response);
    }

    @Override
    public void getNamespace(GetNamespaceRequest request, StreamObserver<GetNamespaceResponse> response) {
        call(request, response);
    }

    @Override
    public void getNamespaces(GetNamespacesRequest request, StreamObserver<GetNamespacesResponse> response) {
        call(request, response);
    }

    @Override
    public void updateNamespace(UpdateNamespaceRequest request, StreamObserver<UpdateNamespaceResponse> response) {
        call(request, response);
    }

    @Override
    public void deleteNamespace(DeleteNamespaceRequest request, StreamObserver<DeleteNamespaceResponse> response) {
        call(request, response);
    }

    @Override
    public void renameCustomSearchAttribute(RenameCustomSearchAttributeRequest request, StreamObserver<RenameCustomSearchAttributeResponse> response) {
        call(request, response);
    }

    @Override
    public void updateNamespaceTags(UpdateNamespaceTagsRequest request, StreamObserver<UpdateNamespaceTagsResponse> response) {
        call(request, response);
    }

    @Override
    public void createUser(CreateUserRequest request, StreamObserver<CreateUserResponse> response) {
        call(request, response);
    }

    @Override
    public void getUser(GetUserRequest request, StreamObserver<GetUserResponse> response) {
        call(request, response);
    }

    @Override
    public void getUsers(GetUsersRequest request, StreamObserver<GetUsersResponse> response) {
        call(request, response);
    }

    @Override
    public void updateUser(UpdateUserRequest request, StreamObserver<UpdateUserResponse> response) {
        call(request, response);
    }

    @Override
    public void deleteUser(DeleteUserRequest request, StreamObserver<DeleteUserResponse> response) {
        call(request, response);
    }

    @Override
    public void setUserNamespaceAccess(SetUserNamespaceAccessRequest request, StreamObserver<SetUserNamespaceAccessResponse> response) {
        call(request, response);
    }

    @Override
    public void createServiceAccount(CreateServiceAccountRequest request, StreamObserver<CreateServiceAccountResponse> response) {
        call(request, response);
    }

    @Override
    public void getServiceAccount(GetServiceAccountRequest request, StreamObserver<GetServiceAccountResponse> response) {
        call(request, response);
    }

    @Override
    public void getServiceAccounts(GetServiceAccountsRequest request, StreamObserver<GetServiceAccountsResponse> response) {
        call(request, response);
    }

    @Override
    public void updateServiceAccount(UpdateServiceAccountRequest request, StreamObserver<UpdateServiceAccountResponse> response) {
        call(request, response);
    }

    @Override
    public void deleteServiceAccount(DeleteServiceAccountRequest request, StreamObserver<DeleteServiceAccountResponse> response) {
        call(request, response);
    }

    @Override
    public void setServiceAccountNamespaceAccess(SetServiceAccountNamespaceAccessRequest request, StreamObserver<SetServiceAccountNamespaceAccessResponse> response) {
        call(request, response);
    }

    @Override
    public void createApiKey(CreateApiKeyRequest request, StreamObserver<CreateApiKeyResponse> response) {
        call(request, response);
    }

    @Override
    public void getApiKey(GetApiKeyRequest request, StreamObserver<GetApiKeyResponse> response) {
        call(request, response);
    }

    @Override
    public void getApiKeys(GetApiKeysRequest request, StreamObserver<GetApiKeysResponse> response) {
        call(request, response);
    }

    @Override
    public void updateApiKey(UpdateApiKeyRequest request, StreamObserver<UpdateApiKeyResponse> response) {
        call(request, response);
    }

    @Override
    public void deleteApiKey(DeleteApiKeyRequest request, StreamObserver<DeleteApiKeyResponse> response) {
        call(request, response);
    }

    @Override
    public void createNexusEndpoint(CreateNexusEndpointRequest request, StreamObserver<CreateNexusEndpointResponse> response) {
        call(request, response);
    }

    @Override
    public void getNexusEndpoint(GetNexusEndpointRequest request, StreamObserver<GetNexusEndpointResponse> response) {
        call(request, response);
    }

    @Override
    public void getNexusEndpoints(GetNexusEndpointsRequest request, StreamObserver<GetNexusEndpointsResponse> response) {
        call(request, response);
    }

    @Override
    public void updateNexusEndpoint(UpdateNexusEndpointRequest request, StreamObserver<UpdateNexusEndpointResponse> response) {
        call(request, response);
    }

    @Override
    public void deleteNexusEndpoint(DeleteNexusEndpointRequest request, StreamObserver<DeleteNexusEndpointResponse> response) {
        call(request, response);
    }
}
