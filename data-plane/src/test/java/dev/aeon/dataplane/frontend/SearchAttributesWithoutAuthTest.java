package dev.aeon.dataplane.frontend;

import dev.aeon.dataplane.TestPorts;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.temporal.api.operatorservice.v1.AddSearchAttributesRequest;
import io.temporal.api.operatorservice.v1.ListSearchAttributesRequest;
import io.temporal.api.operatorservice.v1.OperatorServiceGrpc;
import io.temporal.api.operatorservice.v1.RemoveSearchAttributesRequest;
import io.temporal.api.workflowservice.v1.DescribeNamespaceRequest;
import io.temporal.api.workflowservice.v1.RegisterNamespaceRequest;
import io.temporal.api.workflowservice.v1.WorkflowServiceGrpc;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static io.temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_INT;
import static io.temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD;
import static io.temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_TEXT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * A namespace registered over RegisterNamespace (authentication off only) has no control plane behind it: its
 * search attributes are kept in its own record, as Temporal's SQL visibility keeps them (field name to alias in
 * {@code config.custom_search_attribute_aliases}), and are added and removed here.
 */
@QuarkusTest
@TestProfile(WithoutAuthProfile.class)
class SearchAttributesWithoutAuthTest {

    private ManagedChannel channel;
    private WorkflowServiceGrpc.WorkflowServiceBlockingStub api;
    private OperatorServiceGrpc.OperatorServiceBlockingStub operator;
    private String namespace;

    @BeforeEach
    void connect() {
        channel = ManagedChannelBuilder.forAddress("127.0.0.1", TestPorts.FRONTEND).usePlaintext().build();
        api = WorkflowServiceGrpc.newBlockingStub(channel);
        operator = OperatorServiceGrpc.newBlockingStub(channel);
        namespace = "sa-" + UUID.randomUUID().toString().substring(0, 8);
        api.registerNamespace(RegisterNamespaceRequest.newBuilder().setNamespace(namespace).build());
    }

    @AfterEach
    void disconnect() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    @Test
    void addedListedAndRemovedInTheNamespacesOwnRecord() {
        operator.addSearchAttributes(AddSearchAttributesRequest.newBuilder().setNamespace(namespace)
                .putSearchAttributes("CustomerId", INDEXED_VALUE_TYPE_KEYWORD)
                .putSearchAttributes("Region", INDEXED_VALUE_TYPE_KEYWORD)
                .putSearchAttributes("Amount", INDEXED_VALUE_TYPE_INT).build());
        assertEquals(Map.of("CustomerId", INDEXED_VALUE_TYPE_KEYWORD, "Region", INDEXED_VALUE_TYPE_KEYWORD,
                "Amount", INDEXED_VALUE_TYPE_INT), custom());
        assertEquals(Map.of("Keyword01", "CustomerId", "Keyword02", "Region", "Int01", "Amount"),
                api.describeNamespace(DescribeNamespaceRequest.newBuilder().setNamespace(namespace).build())
                        .getConfig().getCustomSearchAttributeAliasesMap());

        operator.removeSearchAttributes(RemoveSearchAttributesRequest.newBuilder().setNamespace(namespace)
                .addSearchAttributes("CustomerId").addSearchAttributes("NeverThere").build());
        assertEquals(Map.of("Region", INDEXED_VALUE_TYPE_KEYWORD, "Amount", INDEXED_VALUE_TYPE_INT), custom());

        // A freed field is taken again.
        operator.addSearchAttributes(AddSearchAttributesRequest.newBuilder().setNamespace(namespace)
                .putSearchAttributes("Note", INDEXED_VALUE_TYPE_TEXT)
                .putSearchAttributes("Customer", INDEXED_VALUE_TYPE_KEYWORD).build());
        assertEquals(Map.of("Keyword01", "Customer", "Keyword02", "Region", "Int01", "Amount", "Text01", "Note"),
                api.describeNamespace(DescribeNamespaceRequest.newBuilder().setNamespace(namespace).build())
                        .getConfig().getCustomSearchAttributeAliasesMap());
    }

    @Test
    void atMostOneHundred() {
        AddSearchAttributesRequest.Builder hundred = AddSearchAttributesRequest.newBuilder().setNamespace(namespace);
        for (int i = 0; i < 100; i++) {
            hundred.putSearchAttributes("Attr" + i, i % 2 == 0 ? INDEXED_VALUE_TYPE_KEYWORD : INDEXED_VALUE_TYPE_INT);
        }
        operator.addSearchAttributes(hundred.build());
        assertEquals(100, custom().size());
        StatusRuntimeException refused = assertThrows(StatusRuntimeException.class, () -> operator.addSearchAttributes(
                AddSearchAttributesRequest.newBuilder().setNamespace(namespace)
                        .putSearchAttributes("OneTooMany", INDEXED_VALUE_TYPE_INT).build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, refused.getStatus().getCode());
        assertEquals("Unable to create search attributes: cannot have more than 100 custom search attributes in a "
                + "namespace (it has 100).", refused.getStatus().getDescription());
    }

    private Map<String, io.temporal.api.enums.v1.IndexedValueType> custom() {
        return operator.listSearchAttributes(ListSearchAttributesRequest.newBuilder().setNamespace(namespace).build())
                .getCustomAttributesMap();
    }
}
