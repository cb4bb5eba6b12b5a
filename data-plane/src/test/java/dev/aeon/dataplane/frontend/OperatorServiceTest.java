package dev.aeon.dataplane.frontend;

import dev.aeon.dataplane.TestPorts;
import dev.aeon.dataplane.TestTenant;
import dev.aeon.testing.StandInControlPlane;
import dev.aeon.testing.StandInControlPlaneResource;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.quarkus.test.common.http.TestHTTPResourceManager;
import io.quarkus.test.junit.QuarkusTest;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.api.operatorservice.v1.AddSearchAttributesRequest;
import io.temporal.api.operatorservice.v1.DeleteNamespaceRequest;
import io.temporal.api.operatorservice.v1.ListSearchAttributesRequest;
import io.temporal.api.operatorservice.v1.ListSearchAttributesResponse;
import io.temporal.api.operatorservice.v1.OperatorServiceGrpc;
import io.temporal.api.operatorservice.v1.RemoveSearchAttributesRequest;
import io.temporal.api.workflowservice.v1.GetSearchAttributesRequest;
import io.temporal.api.workflowservice.v1.WorkflowServiceGrpc;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static io.temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_INT;
import static io.temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD;
import static io.temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD_LIST;
import static io.temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_UNSPECIFIED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Temporal's OperatorService search-attribute RPCs on the frontend port, through Temporal's own stubs with the
 * tenant's API key, on namespaces of the control plane: their search attributes live in the control plane's spec,
 * so an add goes there (the stand-in provisions it back, as the control plane's operation does) and the call
 * answers once the data plane has it; a change made in the control plane (an update, a rename) shows here.
 */
@QuarkusTest
class OperatorServiceTest {

    private ManagedChannel channel;
    private OperatorServiceGrpc.OperatorServiceBlockingStub operator;
    private String namespace;

    @BeforeEach
    void connect() {
        StandInControlPlaneResource.controlPlane().provisionsTo(URI.create(TestHTTPResourceManager.getUri()));
        namespace = TestTenant.namespace("sa-" + UUID.randomUUID().toString().substring(0, 8));
        TestTenant.provision(namespace, Map.of("CustomerId", "Keyword"));
        channel = ManagedChannelBuilder.forAddress("127.0.0.1", TestPorts.FRONTEND).usePlaintext().build();
        operator = TestTenant.asOwnerOf(TestTenant.ACCOUNT, OperatorServiceGrpc.newBlockingStub(channel));
    }

    @AfterEach
    void disconnect() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    @Test
    void listsTheSystemAttributesAndTheNamespacesOwn() {
        ListSearchAttributesResponse listed = list();
        assertEquals(Map.of("CustomerId", INDEXED_VALUE_TYPE_KEYWORD), listed.getCustomAttributesMap());
        assertEquals(INDEXED_VALUE_TYPE_KEYWORD, listed.getSystemAttributesMap().get("WorkflowId"));
        assertEquals(INDEXED_VALUE_TYPE_KEYWORD_LIST, listed.getSystemAttributesMap().get("TemporalChangeVersion"));
        assertEquals(IndexedValueType.INDEXED_VALUE_TYPE_DATETIME, listed.getSystemAttributesMap().get("StartTime"));

        var keys = TestTenant.asOwnerOf(TestTenant.ACCOUNT, WorkflowServiceGrpc.newBlockingStub(channel))
                .getSearchAttributes(GetSearchAttributesRequest.getDefaultInstance()).getKeysMap();
        assertEquals(INDEXED_VALUE_TYPE_KEYWORD, keys.get("WorkflowType"));
        assertEquals(INDEXED_VALUE_TYPE_KEYWORD_LIST, keys.get("BuildIds"));
        assertFalse(keys.containsKey("CustomerId"), "custom attributes are per namespace");
    }

    @Test
    void anAddGoesToTheControlPlaneAndAnswersOnceTheDataPlaneHasIt() {
        StandInControlPlane controlPlane = StandInControlPlaneResource.controlPlane();
        int before = controlPlane.searchAttributeRequests.size();
        operator.addSearchAttributes(AddSearchAttributesRequest.newBuilder().setNamespace(namespace)
                .putSearchAttributes("Amount", INDEXED_VALUE_TYPE_INT)
                .putSearchAttributes("CustomerId", INDEXED_VALUE_TYPE_KEYWORD).build());

        // Synchronous from the caller's view, as in Temporal: listed at once when the call returns.
        assertEquals(Map.of("CustomerId", INDEXED_VALUE_TYPE_KEYWORD, "Amount", INDEXED_VALUE_TYPE_INT),
                list().getCustomAttributesMap());
        assertEquals(before + 1, controlPlane.searchAttributeRequests.size());
        String sent = controlPlane.searchAttributeRequests.get(before);
        assertTrue(sent.contains("\"add\":{\"Amount\":\"Int\"}"), "only what is missing goes: " + sent);
        assertTrue(sent.contains("\"apiKeyId\":\"k-tests-owner\""), "the caller is named for the audit log: " + sent);

        // Already there with the same type: nothing to do, nothing sent.
        operator.addSearchAttributes(AddSearchAttributesRequest.newBuilder().setNamespace(namespace)
                .putSearchAttributes("Amount", INDEXED_VALUE_TYPE_INT).build());
        assertEquals(before + 1, controlPlane.searchAttributeRequests.size());
    }

    @Test
    void refusalsAreTemporals() {
        assertInvalid("Search attribute CustomerId already exists with type Keyword.",
                add("CustomerId", INDEXED_VALUE_TYPE_INT));
        assertInvalid("Search attribute WorkflowId is reserved by system.", add("WorkflowId", INDEXED_VALUE_TYPE_KEYWORD));
        assertInvalid("Search attribute TemporalChangeVersion is reserved by system.",
                add("TemporalChangeVersion", INDEXED_VALUE_TYPE_KEYWORD_LIST));
        assertInvalid("Search attribute TemporalMine is reserved by system.", add("TemporalMine", INDEXED_VALUE_TYPE_INT));
        assertInvalid("Unknown search attribute type: Unspecified.", add("Fine", INDEXED_VALUE_TYPE_UNSPECIFIED));
        assertInvalid("SearchAttributes are not set on request.",
                AddSearchAttributesRequest.newBuilder().setNamespace(namespace).build());

        StatusRuntimeException removal = assertThrows(StatusRuntimeException.class, () -> operator
                .removeSearchAttributes(RemoveSearchAttributesRequest.newBuilder().setNamespace(namespace)
                        .addSearchAttributes("CustomerId").build()));
        assertEquals(Status.Code.FAILED_PRECONDITION, removal.getStatus().getCode());
        assertTrue(removal.getStatus().getDescription().contains("renamed"), removal.getStatus().getDescription());
        StatusRuntimeException system = assertThrows(StatusRuntimeException.class, () -> operator
                .removeSearchAttributes(RemoveSearchAttributesRequest.newBuilder().setNamespace(namespace)
                        .addSearchAttributes("WorkflowId").build()));
        assertEquals("Unable to remove non-custom search attributes: WorkflowId.", system.getStatus().getDescription());
        // Unknown names are skipped, as Temporal skips them.
        operator.removeSearchAttributes(RemoveSearchAttributesRequest.newBuilder().setNamespace(namespace)
                .addSearchAttributes("NeverThere").build());
        assertEquals(Map.of("CustomerId", INDEXED_VALUE_TYPE_KEYWORD), list().getCustomAttributesMap());
    }

    @Test
    void aChangeMadeInTheControlPlaneShowsHere() {
        // An UpdateNamespace adding one and a RenameCustomSearchAttribute, as the control plane provisions them.
        TestTenant.provision(namespace, Map.of("Customer", "Keyword", "Tags", "KeywordList"));
        assertEquals(Map.of("Customer", INDEXED_VALUE_TYPE_KEYWORD, "Tags", INDEXED_VALUE_TYPE_KEYWORD_LIST),
                list().getCustomAttributesMap());
    }

    @Test
    void readingNeedsReadAddingNeedsAdminOthersAreTheControlPlanes() {
        String keyId = "k-" + UUID.randomUUID();
        Instant expires = Instant.now().plus(1, ChronoUnit.DAYS);
        StandInControlPlaneResource.controlPlane().putAccess(keyId, """
                {"keyId":"%s","accountId":"%s","ownerId":"u-dev","ownerType":"user","enabled":true,
                 "expiresAt":"%s","accountRole":"DEVELOPER","namespacePermissions":{"%s":"WRITE"}}"""
                .formatted(keyId, TestTenant.ACCOUNT, expires, namespace));
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER),
                "Bearer " + StandInControlPlaneResource.sign(keyId, TestTenant.ACCOUNT, expires));
        var writer = OperatorServiceGrpc.newBlockingStub(channel)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));

        assertEquals(1, writer.listSearchAttributes(ListSearchAttributesRequest.newBuilder().setNamespace(namespace)
                .build()).getCustomAttributesCount());
        assertEquals(Status.Code.PERMISSION_DENIED, assertThrows(StatusRuntimeException.class,
                () -> writer.addSearchAttributes(add("Amount", INDEXED_VALUE_TYPE_INT))).getStatus().getCode());
        assertEquals(Status.Code.UNAUTHENTICATED, assertThrows(StatusRuntimeException.class,
                () -> OperatorServiceGrpc.newBlockingStub(channel).listSearchAttributes(
                        ListSearchAttributesRequest.newBuilder().setNamespace(namespace).build())).getStatus().getCode());
        assertEquals(Status.Code.NOT_FOUND, assertThrows(StatusRuntimeException.class,
                () -> TestTenant.asOwnerOf("other", OperatorServiceGrpc.newBlockingStub(channel)).listSearchAttributes(
                        ListSearchAttributesRequest.newBuilder().setNamespace(namespace).build())).getStatus().getCode());
        assertEquals(Status.Code.PERMISSION_DENIED, assertThrows(StatusRuntimeException.class,
                () -> operator.deleteNamespace(DeleteNamespaceRequest.newBuilder().setNamespace(namespace).build()))
                .getStatus().getCode());
    }

    private ListSearchAttributesResponse list() {
        return operator.listSearchAttributes(ListSearchAttributesRequest.newBuilder().setNamespace(namespace).build());
    }

    private AddSearchAttributesRequest add(String name, IndexedValueType type) {
        return AddSearchAttributesRequest.newBuilder().setNamespace(namespace).putSearchAttributes(name, type).build();
    }

    private void assertInvalid(String message, AddSearchAttributesRequest request) {
        StatusRuntimeException refused = assertThrows(StatusRuntimeException.class,
                () -> operator.addSearchAttributes(request));
        assertEquals(Status.Code.INVALID_ARGUMENT, refused.getStatus().getCode(), refused.getStatus().toString());
        assertEquals(message, refused.getStatus().getDescription());
    }
}
