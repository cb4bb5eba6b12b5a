package dev.aeon.dataplane.sdk;

import dev.aeon.dataplane.TestTenant;
import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.junit.QuarkusTest;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.Payloads;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.common.v1.WorkflowType;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.taskqueue.v1.TaskQueue;
import io.temporal.api.workflowservice.v1.DeleteWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionResponse;
import io.temporal.api.workflowservice.v1.RequestCancelWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.StartWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.TerminateWorkflowExecutionRequest;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.SearchAttributeKey;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Search attributes and memo changed by the workflow and shown by describe, cancel and terminate aimed by first run
 * id, deletion, and the payload size limit.
 */
@QuarkusTest
class WorkflowPropertiesTest {

    static final String NAMESPACE = TestTenant.namespace("properties");
    static final String TASK_QUEUE = "workflow-properties";
    static final SearchAttributeKey<String> STAGE = SearchAttributeKey.forKeyword("Stage");

    @WorkflowInterface
    public interface Tagged {
        @WorkflowMethod
        String run();
    }

    public static class TaggedImpl implements Tagged {
        @Override
        public String run() {
            Workflow.upsertTypedSearchAttributes(STAGE.valueSet("shipped"));
            Workflow.upsertMemo(Map.of("note", "left the warehouse"));
            return "tagged";
        }
    }

    static SdkHarness sdk;

    @BeforeAll
    static void startWorker() {
        sdk = SdkHarness.start(NAMESPACE, TASK_QUEUE, worker -> worker.registerWorkflowImplementationTypes(TaggedImpl.class));
        TestTenant.provision(NAMESPACE, java.util.Map.of("Stage", "Keyword")); // upserts need it registered
    }

    @AfterAll
    static void stopWorker() {
        sdk.close();
    }

    private static DescribeWorkflowExecutionResponse describe(String id) {
        return sdk.service.blockingStub().describeWorkflowExecution(DescribeWorkflowExecutionRequest.newBuilder()
                .setNamespace(NAMESPACE).setExecution(WorkflowExecution.newBuilder().setWorkflowId(id)).build());
    }

    @Test
    void searchAttributesAndMemoUpsertedByTheWorkflowShowInDescribe() throws Exception {
        String id = "tagged-" + UUID.randomUUID();

        assertEquals("tagged", sdk.client.newWorkflowStub(Tagged.class, WorkflowOptions.newBuilder()
                .setTaskQueue(TASK_QUEUE).setWorkflowId(id).setMemo(Map.of("owner", "ops")).build()).run());

        var info = describe(id).getWorkflowExecutionInfo();
        assertTrue(info.getSearchAttributes().containsIndexedFields("Stage"));
        assertTrue(info.getMemo().containsFields("owner"), "the start's memo stays");
        assertTrue(info.getMemo().containsFields("note"), "the upserted memo is added");
        var history = sdk.client.fetchHistory(id);
        List<EventType> types = history.getEvents().stream().map(HistoryEvent::getEventType).toList();
        assertTrue(types.contains(EventType.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES));
        assertTrue(types.contains(EventType.EVENT_TYPE_WORKFLOW_PROPERTIES_MODIFIED));
        WorkflowReplayer.replayWorkflowExecution(history, TaggedImpl.class);
    }

    @Test
    void describeAlwaysCarriesMemoAndSearchAttributesEvenWhenNoneWereSet() {
        // The Go SDK reads info.search_attributes.indexed_fields without a nil check, as Temporal always sets it.
        String id = "plain-" + UUID.randomUUID();
        sdk.service.blockingStub().startWorkflowExecution(start(id, Payloads.getDefaultInstance()));

        var info = describe(id).getWorkflowExecutionInfo();

        assertTrue(info.hasSearchAttributes(), "search_attributes is present");
        assertTrue(info.hasMemo(), "memo is present");
        assertEquals(0, info.getSearchAttributes().getIndexedFieldsCount());
    }

    @Test
    void aFirstRunIdOfAnotherChainIsNotFoundForCancelAndTerminate() {
        String id = "chain-" + UUID.randomUUID();
        String runId = sdk.service.blockingStub().startWorkflowExecution(start(id, Payloads.getDefaultInstance()))
                .getRunId();
        WorkflowExecution byId = WorkflowExecution.newBuilder().setWorkflowId(id).build();
        String otherChain = UUID.randomUUID().toString();

        StatusRuntimeException cancel = assertThrows(StatusRuntimeException.class, () -> sdk.service.blockingStub()
                .requestCancelWorkflowExecution(RequestCancelWorkflowExecutionRequest.newBuilder().setNamespace(NAMESPACE)
                        .setWorkflowExecution(byId).setFirstExecutionRunId(otherChain).build()));
        StatusRuntimeException terminate = assertThrows(StatusRuntimeException.class, () -> sdk.service.blockingStub()
                .terminateWorkflowExecution(TerminateWorkflowExecutionRequest.newBuilder().setNamespace(NAMESPACE)
                        .setWorkflowExecution(byId).setFirstExecutionRunId(otherChain).build()));
        assertEquals(Status.Code.NOT_FOUND, cancel.getStatus().getCode());
        assertEquals(Status.Code.NOT_FOUND, terminate.getStatus().getCode());
        assertEquals(io.temporal.api.enums.v1.WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING,
                describe(id).getWorkflowExecutionInfo().getStatus());

        // The chain's own first run id reaches its current run.
        sdk.service.blockingStub().terminateWorkflowExecution(TerminateWorkflowExecutionRequest.newBuilder()
                .setNamespace(NAMESPACE).setWorkflowExecution(byId).setFirstExecutionRunId(runId).build());
        assertEquals(io.temporal.api.enums.v1.WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_TERMINATED,
                describe(id).getWorkflowExecutionInfo().getStatus());
    }

    @Test
    void aDeletedRunIsGoneEvenIfItWasRunning() {
        String id = "deleted-" + UUID.randomUUID();
        sdk.service.blockingStub().startWorkflowExecution(start(id, Payloads.getDefaultInstance()));

        sdk.service.blockingStub().deleteWorkflowExecution(DeleteWorkflowExecutionRequest.newBuilder()
                .setNamespace(NAMESPACE).setWorkflowExecution(WorkflowExecution.newBuilder().setWorkflowId(id)).build());

        StatusRuntimeException gone = assertThrows(StatusRuntimeException.class, () -> describe(id));
        assertEquals(Status.Code.NOT_FOUND, gone.getStatus().getCode());
    }

    @Test
    void aPayloadOverTwoMebibytesIsRefusedNamingTheLimit() {
        Payload big = Payload.newBuilder().setData(ByteString.copyFrom(new byte[2 * 1024 * 1024 + 1])).build();

        StatusRuntimeException refused = assertThrows(StatusRuntimeException.class, () -> sdk.service.blockingStub()
                .startWorkflowExecution(start("big-" + UUID.randomUUID(), Payloads.newBuilder().addPayloads(big).build())));

        assertEquals(Status.Code.INVALID_ARGUMENT, refused.getStatus().getCode());
        assertTrue(refused.getStatus().getDescription().contains("input") && refused.getStatus().getDescription()
                .contains("2 MiB"), refused.getStatus().getDescription());
    }

    @Test
    void aRequestOverFourMebibytesIsRefusedNamingTheLimit() {
        // three payloads each within the 2 MiB payload limit, 4.5 MiB together
        Payload part = Payload.newBuilder().setData(ByteString.copyFrom(new byte[3 * 512 * 1024])).build();
        Payloads input = Payloads.newBuilder().addPayloads(part).addPayloads(part).addPayloads(part).build();

        StatusRuntimeException refused = assertThrows(StatusRuntimeException.class, () -> sdk.service.blockingStub()
                .startWorkflowExecution(start("huge-" + UUID.randomUUID(), input)));

        assertEquals(Status.Code.INVALID_ARGUMENT, refused.getStatus().getCode());
        assertTrue(refused.getStatus().getDescription().contains("4 MiB"), refused.getStatus().getDescription());
    }

    private static StartWorkflowExecutionRequest start(String id, Payloads input) {
        return StartWorkflowExecutionRequest.newBuilder().setNamespace(NAMESPACE).setWorkflowId(id)
                .setWorkflowType(WorkflowType.newBuilder().setName("NobodyRunsThis"))
                .setTaskQueue(TaskQueue.newBuilder().setName("idle")).setInput(input)
                .setRequestId(UUID.randomUUID().toString()).build();
    }
}
