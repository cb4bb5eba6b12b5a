package dev.aeon.dataplane.sdk;

import dev.aeon.dataplane.TestTenant;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.junit.QuarkusTest;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.workflowservice.v1.CountWorkflowExecutionsRequest;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.ResetWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.WorkflowServiceGrpc;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionMetadata;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowServiceException;
import io.temporal.client.WorkflowStub;
import io.temporal.common.SearchAttributeKey;
import io.temporal.common.SearchAttributes;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import static dev.aeon.dataplane.sdk.WorkflowListingTest.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Renaming a custom search attribute (the control plane's RenameCustomSearchAttribute, provisioned here as the
 * control plane provisions it) keeps the values runs already hold: they are stored by field, and the rename only
 * gives the field a new name. The namespace is first provisioned as a control plane older than fields did (no
 * fields: the data plane gives them by the rule the control plane uses), then renamed with the fields the control
 * plane sends.
 */
@QuarkusTest
class SearchAttributeRenameTest {

    private static final String NAMESPACE = TestTenant.namespace("rename-" + UUID.randomUUID().toString().substring(0, 8));
    private static final String TASK_QUEUE = "rename";
    private static final SearchAttributeKey<String> CUSTOMER_ID = SearchAttributeKey.forKeyword("CustomerId");
    private static final SearchAttributeKey<String> CLIENT_ID = SearchAttributeKey.forKeyword("ClientId");
    private static final SearchAttributeKey<String> REGION = SearchAttributeKey.forKeyword("Region");

    @WorkflowInterface
    public interface Quick {
        @WorkflowMethod
        String run();
    }

    public static class QuickImpl implements Quick {
        @Override
        public String run() {
            return "done";
        }
    }

    /** Upserts CustomerId, waits, then upserts ClientId: one code, run across the rename. */
    @WorkflowInterface
    public interface Tagger {
        @WorkflowMethod
        String run();

        @SignalMethod
        void release(String clientId);
    }

    public static class TaggerImpl implements Tagger {
        private String clientId;

        @Override
        public String run() {
            Workflow.upsertTypedSearchAttributes(CUSTOMER_ID.valueSet("x"));
            Workflow.await(() -> clientId != null);
            Workflow.upsertTypedSearchAttributes(CLIENT_ID.valueSet(clientId));
            return clientId;
        }

        @Override
        public void release(String clientId) {
            this.clientId = clientId;
        }
    }

    static SdkHarness sdk;
    static WorkflowServiceGrpc.WorkflowServiceBlockingStub api;

    @BeforeAll
    static void start() {
        sdk = SdkHarness.start(NAMESPACE, TASK_QUEUE, worker ->
                worker.registerWorkflowImplementationTypes(QuickImpl.class, TaggerImpl.class));
        api = sdk.service.blockingStub();
        TestTenant.provision(NAMESPACE, Map.of("CustomerId", "Keyword", "Region", "Keyword"));
    }

    @AfterAll
    static void stop() {
        sdk.close();
    }

    @Test
    void aRenamedAttributeKeepsTheValuesRunsHold() throws Exception {
        WorkflowClient client = sdk.client;
        String mine = "WorkflowId IN ('quick', 'tagger')";
        Quick quick = client.newWorkflowStub(Quick.class, WorkflowOptions.newBuilder().setTaskQueue(TASK_QUEUE)
                .setWorkflowId("quick").setTypedSearchAttributes(SearchAttributes.newBuilder()
                        .set(CUSTOMER_ID, "x").set(REGION, "eu").build()).build());
        assertEquals("done", quick.run());
        String quickRunId = WorkflowStub.fromTyped(quick).getExecution().getRunId();
        Tagger tagger = client.newWorkflowStub(Tagger.class, WorkflowOptions.newBuilder().setTaskQueue(TASK_QUEUE)
                .setWorkflowId("tagger").build());
        WorkflowClient.start(tagger::run);
        eventually(() -> client.countWorkflows(mine + " AND CustomerId = 'x'").getCount() == 2);
        WorkflowReplayer.replayWorkflowExecution(client.fetchHistory("quick", quickRunId), QuickImpl.class);

        // RenameCustomSearchAttribute CustomerId -> ClientId, as the control plane provisions it: the field stays.
        TestTenant.provision(NAMESPACE, Map.of("ClientId", "Keyword", "Region", "Keyword"),
                Map.of("ClientId", "Keyword01", "Region", "Keyword02"), Map.of("CustomerId", "Keyword01"));

        // Open and closed runs given the attribute before the rename are found by its new name.
        assertEquals(Set.of("quick", "tagger"), ids(mine + " AND ClientId = 'x'"));
        assertEquals(Set.of("quick"), ids(mine + " AND ClientId = 'x' AND ExecutionStatus = 'Completed'"));
        assertEquals(Set.of("tagger"), ids(mine + " AND ClientId = 'x' AND ExecutionStatus = 'Running'"));
        assertEquals(Set.of("quick"), ids(mine + " AND Region = 'eu' AND ClientId = 'x'"));
        assertEquals(2, count(mine + " AND ClientId = 'x'"));
        List<WorkflowExecutionMetadata> listed = client.listExecutions(mine + " AND ClientId = 'x'").toList();
        for (WorkflowExecutionMetadata execution : listed) {
            assertEquals("x", execution.getTypedSearchAttributes().get(CLIENT_ID));
            assertFalse(execution.getTypedSearchAttributes().containsKey(CUSTOMER_ID));
        }

        // The old name is no attribute of the namespace any more, as after a rename in Temporal.
        StatusRuntimeException unknown = assertThrows(StatusRuntimeException.class,
                () -> count(mine + " AND CustomerId = 'x'"));
        assertEquals(Status.Code.INVALID_ARGUMENT, unknown.getStatus().getCode());
        assertTrue(unknown.getStatus().getDescription().contains("CustomerId"), unknown.getStatus().getDescription());
        WorkflowServiceException refused = assertThrows(WorkflowServiceException.class, () -> WorkflowClient.start(
                client.newWorkflowStub(Quick.class, WorkflowOptions.newBuilder().setTaskQueue(TASK_QUEUE)
                        .setWorkflowId("old-name").setTypedSearchAttributes(SearchAttributes.newBuilder()
                                .set(CUSTOMER_ID, "x").build()).build())::run));
        StatusRuntimeException cause = (StatusRuntimeException) refused.getCause();
        assertEquals(Status.Code.INVALID_ARGUMENT, cause.getStatus().getCode());
        assertTrue(cause.getStatus().getDescription().contains("search attribute CustomerId"),
                cause.getStatus().getDescription());

        // Describe answers from the run's state, under the new name.
        for (String workflowId : List.of("quick", "tagger")) {
            Map<String, Payload> described = api.describeWorkflowExecution(DescribeWorkflowExecutionRequest.newBuilder()
                            .setNamespace(NAMESPACE).setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId))
                            .build()).getWorkflowExecutionInfo().getSearchAttributes().getIndexedFieldsMap();
            assertEquals(Set.of("ClientId"), described.keySet().stream().filter(k -> !k.equals("Region"))
                    .collect(Collectors.toSet()), workflowId + ": " + described.keySet());
            assertEquals("\"x\"", described.get("ClientId").getData().toStringUtf8());
        }

        // The running workflow upserts the new name over the value it set under the old one.
        WorkflowStub.fromTyped(client.newWorkflowStub(Tagger.class, "tagger")).signal("release", "y");
        assertEquals("y", WorkflowStub.fromTyped(client.newWorkflowStub(Tagger.class, "tagger"))
                .getResult(String.class));
        eventually(() -> ids(mine + " AND ClientId = 'y'").equals(Set.of("tagger")));
        assertEquals(Set.of("quick"), ids(mine + " AND ClientId = 'x'"));
        assertEquals(1, count(mine + " AND ClientId = 'x'"));
        assertEquals(1, count(mine + " AND ClientId = 'y' AND ExecutionStatus = 'Completed'"));

        // A reset rebuilds the run's state from events, which name CustomerId: the former name finds its field.
        String resetRunId = api.resetWorkflowExecution(ResetWorkflowExecutionRequest.newBuilder()
                .setNamespace(NAMESPACE).setWorkflowExecution(WorkflowExecution.newBuilder().setWorkflowId("quick"))
                .setWorkflowTaskFinishEventId(4).setRequestId(UUID.randomUUID().toString()).setReason("rename")
                .build()).getRunId();
        assertEquals("done", WorkflowStub.fromTyped(client.newWorkflowStub(Quick.class, "quick"))
                .getResult(String.class));
        eventually(() -> count("WorkflowId = 'quick' AND ClientId = 'x'") == 2);
        assertEquals(Set.of("ClientId", "Region"), api.describeWorkflowExecution(DescribeWorkflowExecutionRequest
                .newBuilder().setNamespace(NAMESPACE).setExecution(WorkflowExecution.newBuilder()
                        .setWorkflowId("quick").setRunId(resetRunId)).build())
                .getWorkflowExecutionInfo().getSearchAttributes().getIndexedFieldsMap().keySet());

        // Histories keep what the workflows sent and replay after the rename.
        WorkflowReplayer.replayWorkflowExecution(client.fetchHistory("quick", quickRunId), QuickImpl.class);
        WorkflowReplayer.replayWorkflowExecution(client.fetchHistory("tagger"), TaggerImpl.class);
    }

    private static Set<String> ids(String query) {
        return sdk.client.listExecutions(query).map(execution -> execution.getExecution().getWorkflowId())
                .collect(Collectors.toSet());
    }

    private static long count(String query) {
        return api.countWorkflowExecutions(CountWorkflowExecutionsRequest.newBuilder().setNamespace(NAMESPACE)
                .setQuery(query).build()).getCount();
    }
}
