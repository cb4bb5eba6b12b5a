package dev.aeon.controlplane;

import com.google.protobuf.util.Timestamps;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.temporal.api.cloud.auditlog.v1.LogRecord;
import io.temporal.api.cloud.cloudservice.v1.*;
import io.temporal.api.cloud.identity.v1.Access;
import io.temporal.api.cloud.identity.v1.AccountAccess;
import io.temporal.api.cloud.identity.v1.ApiKeySpec;
import io.temporal.api.cloud.identity.v1.NamespaceAccess;
import io.temporal.api.cloud.identity.v1.OwnerType;
import io.temporal.api.cloud.identity.v1.ServiceAccountSpec;
import io.temporal.api.cloud.identity.v1.UserSpec;
import io.temporal.api.cloud.namespace.v1.ApiKeyAuthSpec;
import io.temporal.api.cloud.namespace.v1.MtlsAuthSpec;
import io.temporal.api.cloud.namespace.v1.NamespaceSpec;
import io.temporal.api.cloud.nexus.v1.EndpointSpec;
import io.temporal.api.cloud.nexus.v1.EndpointTargetSpec;
import io.temporal.api.cloud.nexus.v1.WorkerTargetSpec;
import io.temporal.api.cloud.operation.v1.AsyncOperation;
import io.temporal.api.cloud.resource.v1.ResourceState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The same API through Temporal's generated {@code CloudServiceGrpc} stub, on the HTTP port. */
@QuarkusTest
class CloudServiceGrpcTest {

    private ManagedChannel channel;

    @BeforeEach
    void connect() {
        channel = ManagedChannelBuilder.forAddress("127.0.0.1", RestAssured.port).usePlaintext().build();
    }

    @AfterEach
    void close() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    private CloudServiceGrpc.CloudServiceBlockingStub cloud(String token) {
        Metadata headers = new Metadata();
        if (token != null) {
            headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
        }
        headers.put(Metadata.Key.of("temporal-cloud-api-version", Metadata.ASCII_STRING_MARSHALLER), "v0.4.0");
        return CloudServiceGrpc.newBlockingStub(channel)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
                .withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    @Test
    void namespaceLifecycle() {
        var cloud = cloud(CloudApi.newAccount("grpc"));
        String name = "grpc-" + CloudApi.unique();
        NamespaceSpec spec = NamespaceSpec.newBuilder().setName(name).setRetentionDays(10)
                .setApiKeyAuth(ApiKeyAuthSpec.newBuilder().setEnabled(true)).build();
        CreateNamespaceResponse created = cloud.createNamespace(CreateNamespaceRequest.newBuilder().setSpec(spec)
                .setAsyncOperationId("grpc-op-" + name).build());
        assertEquals(AsyncOperation.State.STATE_FULFILLED, await(cloud, created.getAsyncOperation().getId()).getState());
        assertEquals(created, cloud.createNamespace(CreateNamespaceRequest.newBuilder().setSpec(spec)
                .setAsyncOperationId("grpc-op-" + name).build()).toBuilder()
                .setAsyncOperation(created.getAsyncOperation()).build());

        var namespace = cloud.getNamespace(GetNamespaceRequest.newBuilder().setNamespace(created.getNamespace()).build())
                .getNamespace();
        assertEquals(ResourceState.RESOURCE_STATE_ACTIVE, namespace.getState());
        assertEquals(10, namespace.getSpec().getRetentionDays());
        assertTrue(cloud.getNamespaces(GetNamespacesRequest.getDefaultInstance()).getNamespacesList().stream()
                .anyMatch(n -> n.getNamespace().equals(created.getNamespace())));

        assertCode(Status.Code.ALREADY_EXISTS, () -> cloud.createNamespace(
                CreateNamespaceRequest.newBuilder().setSpec(spec).build()));
        assertCode(Status.Code.INVALID_ARGUMENT, () -> cloud.updateNamespace(UpdateNamespaceRequest.newBuilder()
                .setNamespace(created.getNamespace()).setSpec(namespace.getSpec()).setResourceVersion("1").build()));
        assertCode(Status.Code.FAILED_PRECONDITION, () -> cloud.updateNamespace(UpdateNamespaceRequest.newBuilder()
                .setNamespace(created.getNamespace()).setSpec(spec.toBuilder().setRetentionDays(11))
                .setResourceVersion("7").build()));
        var updated = cloud.updateNamespace(UpdateNamespaceRequest.newBuilder().setNamespace(created.getNamespace())
                .setSpec(spec.toBuilder().setRetentionDays(11)).setResourceVersion("1").build());
        await(cloud, updated.getAsyncOperation().getId());
        var deleted = cloud.deleteNamespace(DeleteNamespaceRequest.newBuilder().setNamespace(created.getNamespace())
                .setResourceVersion("2").build());
        assertEquals(AsyncOperation.State.STATE_FULFILLED, await(cloud, deleted.getAsyncOperation().getId()).getState());
        assertCode(Status.Code.NOT_FOUND, () -> cloud.getNamespace(GetNamespaceRequest.newBuilder()
                .setNamespace(created.getNamespace()).build()));
        assertCode(Status.Code.INVALID_ARGUMENT, () -> cloud.getNamespaces(GetNamespacesRequest.newBuilder()
                .setPageSize(5000).build()));

        // The audit log, through the same stub: the account's bootstrap, then every call above that changes something
        // (the idempotent retry of the create is logged with its operation's state).
        var logs = cloud.getAuditLogs(GetAuditLogsRequest.newBuilder().setPageSize(3).build());
        assertEquals(3, logs.getLogsCount());
        var rest = cloud.getAuditLogs(GetAuditLogsRequest.newBuilder().setPageToken(logs.getNextPageToken()).build());
        assertEquals(java.util.List.of("CreateNamespace", "CreateNamespace", "UpdateNamespace", "UpdateNamespace",
                        "UpdateNamespace", "DeleteNamespace"),
                rest.getLogsList().stream().map(LogRecord::getOperation).toList());
        assertEquals(java.util.List.of("FULFILLED", "ALREADY_EXISTS", "INVALID_ARGUMENT",
                        "FAILED_PRECONDITION", "FULFILLED", "FULFILLED"),
                rest.getLogsList().stream().map(LogRecord::getStatus).toList());
        assertEquals("CreateNamespace", logs.getLogs(2).getOperation());
        assertEquals(created.getAsyncOperation().getId(), logs.getLogs(2).getAsyncOperationId());
    }

    /** What Temporal's Terraform provider (temporalcloud 1.5.0) reads back: terraform/check.sh runs it for real. */
    @Test
    void terraformProviderShapes() throws Exception {
        var cloud = cloud(CloudApi.newAccount("tf"));
        // The provider accepts only region ids shaped <aws|gcp>-<name> and checks them against GetRegions.
        assertTrue(cloud.getRegions(GetRegionsRequest.getDefaultInstance()).getRegionsList().stream()
                .anyMatch(r -> r.getId().equals("aws-local")));
        String name = "tf-mtls-" + CloudApi.unique();
        NamespaceSpec spec = NamespaceSpec.newBuilder().setName(name).setRetentionDays(3).addRegions("aws-local")
                .setMtlsAuth(MtlsAuthSpec.newBuilder().setEnabled(true).setAcceptedClientCa(
                        com.google.protobuf.ByteString.copyFromUtf8(TestCertificates.generate().caPem())))
                .build();
        CreateNamespaceResponse created = cloud.createNamespace(CreateNamespaceRequest.newBuilder().setSpec(spec).build());
        assertEquals(AsyncOperation.State.STATE_FULFILLED, await(cloud, created.getAsyncOperation().getId()).getState());
        var namespace = cloud.getNamespace(GetNamespaceRequest.newBuilder().setNamespace(created.getNamespace()).build())
                .getNamespace();
        assertEquals(java.util.List.of("aws-local"), namespace.getSpec().getRegionsList());
        // An mTLS-only namespace still answers api_key_auth (disabled), as Temporal Cloud does: the provider
        // treats a missing one as unknown and fails the apply.
        assertTrue(namespace.getSpec().hasApiKeyAuth());
        assertFalse(namespace.getSpec().getApiKeyAuth().getEnabled());
    }

    @Test
    void identitiesKeysAndEndpoints() {
        String owner = CloudApi.newAccount("grpcid");
        var cloud = cloud(owner);
        String ns = CloudApi.createNamespace(owner, "n-" + CloudApi.unique());

        String userId = cloud.createUser(CreateUserRequest.newBuilder().setSpec(UserSpec.newBuilder()
                .setEmail("g-" + CloudApi.unique() + "@example.com").setAccess(Access.newBuilder()
                        .setAccountAccess(AccountAccess.newBuilder().setRole(AccountAccess.Role.ROLE_DEVELOPER))))
                .build()).getUserId();
        cloud.setUserNamespaceAccess(SetUserNamespaceAccessRequest.newBuilder().setUserId(userId).setNamespace(ns)
                .setAccess(NamespaceAccess.newBuilder().setPermission(NamespaceAccess.Permission.PERMISSION_WRITE))
                .setResourceVersion("1").build());
        assertEquals(NamespaceAccess.Permission.PERMISSION_WRITE, cloud.getUser(GetUserRequest.newBuilder()
                .setUserId(userId).build()).getUser().getSpec().getAccess().getNamespaceAccessesMap().get(ns)
                .getPermission());
        assertEquals(1, cloud.getUsers(GetUsersRequest.newBuilder().setNamespace(ns).build()).getUsersCount());

        String saId = cloud.createServiceAccount(CreateServiceAccountRequest.newBuilder().setSpec(
                ServiceAccountSpec.newBuilder().setName("worker").setAccess(Access.newBuilder().setAccountAccess(
                        AccountAccess.newBuilder().setRole(AccountAccess.Role.ROLE_READ)))).build()).getServiceAccountId();
        cloud.setServiceAccountNamespaceAccess(SetServiceAccountNamespaceAccessRequest.newBuilder()
                .setServiceAccountId(saId).setNamespace(ns).setResourceVersion("1")
                .setAccess(NamespaceAccess.newBuilder().setPermission(NamespaceAccess.Permission.PERMISSION_WRITE))
                .build());
        assertEquals("2", cloud.getServiceAccount(GetServiceAccountRequest.newBuilder().setServiceAccountId(saId)
                .build()).getServiceAccount().getResourceVersion());

        CreateApiKeyResponse key = cloud.createApiKey(CreateApiKeyRequest.newBuilder().setSpec(ApiKeySpec.newBuilder()
                .setOwnerId(saId).setOwnerType(OwnerType.OWNER_TYPE_SERVICE_ACCOUNT).setDisplayName("worker key")
                .setExpiryTime(Timestamps.fromMillis(Instant.now().plus(Duration.ofDays(3)).toEpochMilli()))).build());
        assertFalse(key.getToken().isEmpty());
        var asServiceAccount = cloud(key.getToken());
        assertEquals(saId, asServiceAccount.getCurrentIdentity(GetCurrentIdentityRequest.getDefaultInstance())
                .getServiceAccount().getId());
        assertCode(Status.Code.PERMISSION_DENIED, () -> asServiceAccount.createUser(CreateUserRequest.newBuilder()
                .setSpec(UserSpec.newBuilder().setEmail("z@example.com").setAccess(Access.newBuilder()
                        .setAccountAccess(AccountAccess.newBuilder().setRole(AccountAccess.Role.ROLE_READ)))).build()));
        var stored = cloud.getApiKey(GetApiKeyRequest.newBuilder().setKeyId(key.getKeyId()).build()).getApiKey();
        cloud.updateApiKey(UpdateApiKeyRequest.newBuilder().setKeyId(key.getKeyId()).setResourceVersion("1")
                .setSpec(stored.getSpec().toBuilder().setDisabled(true)).build());
        assertCode(Status.Code.UNAUTHENTICATED, () -> asServiceAccount.getAccount(GetAccountRequest.getDefaultInstance()));
        cloud.deleteApiKey(DeleteApiKeyRequest.newBuilder().setKeyId(key.getKeyId()).setResourceVersion("2").build());
        assertEquals(0, cloud.getApiKeys(GetApiKeysRequest.newBuilder().setOwnerId(saId).build()).getApiKeysCount());

        EndpointSpec endpoint = EndpointSpec.newBuilder().setName("grpc_endpoint").setTargetSpec(EndpointTargetSpec
                .newBuilder().setWorkerTargetSpec(WorkerTargetSpec.newBuilder().setNamespaceId(ns).setTaskQueue("q")))
                .build();
        String endpointId = cloud.createNexusEndpoint(CreateNexusEndpointRequest.newBuilder().setSpec(endpoint).build())
                .getEndpointId();
        assertEquals("q", cloud.getNexusEndpoints(GetNexusEndpointsRequest.newBuilder().setTargetNamespaceId(ns)
                .build()).getEndpoints(0).getSpec().getTargetSpec().getWorkerTargetSpec().getTaskQueue());
        cloud.deleteNexusEndpoint(DeleteNexusEndpointRequest.newBuilder().setEndpointId(endpointId)
                .setResourceVersion("1").build());

        cloud.deleteServiceAccount(DeleteServiceAccountRequest.newBuilder().setServiceAccountId(saId)
                .setResourceVersion("2").build());
        cloud.deleteUser(DeleteUserRequest.newBuilder().setUserId(userId).setResourceVersion("2").build());
        assertCode(Status.Code.NOT_FOUND, () -> cloud.getUser(GetUserRequest.newBuilder().setUserId(userId).build()));
    }

    @Test
    void callsWithoutAValidKeyAreUnauthenticated() {
        assertCode(Status.Code.UNAUTHENTICATED, () -> cloud(null).getNamespaces(GetNamespacesRequest.getDefaultInstance()));
        assertCode(Status.Code.UNAUTHENTICATED, () -> cloud("eyJhbGciOiJub25lIn0.e30.").getRegions(
                GetRegionsRequest.getDefaultInstance()));
        assertCode(Status.Code.UNIMPLEMENTED, () -> cloud(CloudApi.bootstrapToken()).getUsage(
                GetUsageRequest.getDefaultInstance()));
    }

    private static AsyncOperation await(CloudServiceGrpc.CloudServiceBlockingStub cloud, String id) {
        Instant deadline = Instant.now().plusSeconds(20);
        while (true) {
            AsyncOperation op = cloud.getAsyncOperation(GetAsyncOperationRequest.newBuilder().setAsyncOperationId(id)
                    .build()).getAsyncOperation();
            if (op.getState() == AsyncOperation.State.STATE_FULFILLED || op.getState() == AsyncOperation.State.STATE_FAILED
                    || Instant.now().isAfter(deadline)) {
                return op;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static void assertCode(Status.Code code, Runnable call) {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, call::run);
        assertEquals(code, e.getStatus().getCode(), e.getStatus().getDescription());
    }
}
