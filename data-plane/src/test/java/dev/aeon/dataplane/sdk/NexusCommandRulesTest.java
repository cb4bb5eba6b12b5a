package dev.aeon.dataplane.sdk;

import com.google.protobuf.ByteString;
import dev.aeon.dataplane.TestTenant;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.junit.QuarkusTest;
import io.temporal.api.command.v1.Command;
import io.temporal.api.command.v1.RequestCancelNexusOperationCommandAttributes;
import io.temporal.api.command.v1.ScheduleNexusOperationCommandAttributes;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.common.v1.WorkflowType;
import io.temporal.api.enums.v1.CommandType;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.enums.v1.WorkflowTaskFailedCause;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.history.v1.WorkflowTaskFailedEventAttributes;
import io.temporal.api.failure.v1.Failure;
import io.temporal.api.nexus.v1.HandlerError;
import io.temporal.api.nexus.v1.Response;
import io.temporal.api.nexus.v1.StartOperationResponse;
import io.temporal.api.taskqueue.v1.TaskQueue;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryRequest;
import io.temporal.api.workflowservice.v1.PollNexusTaskQueueRequest;
import io.temporal.api.workflowservice.v1.PollNexusTaskQueueResponse;
import io.temporal.api.workflowservice.v1.PollWorkflowTaskQueueRequest;
import io.temporal.api.workflowservice.v1.PollWorkflowTaskQueueResponse;
import io.temporal.api.workflowservice.v1.RespondNexusTaskCompletedRequest;
import io.temporal.api.workflowservice.v1.RespondNexusTaskFailedRequest;
import io.temporal.api.workflowservice.v1.RespondWorkflowTaskCompletedRequest;
import io.temporal.api.workflowservice.v1.StartWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.TerminateWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.WorkflowServiceGrpc;
import io.temporal.serviceclient.WorkflowServiceStubs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Nexus commands at the worker protocol, as an SDK sends them: what reaches the handler (the workflow's Nexus
 * header, lower-cased; the callback; the capability to answer in Temporal's failure format) and Temporal's rules
 * for the commands (server-only headers, 30 pending operations, cancel of an unknown operation, the input limit).
 */
@QuarkusTest
class NexusCommandRulesTest {

    private static final String SUFFIX = UUID.randomUUID().toString().substring(0, 6);
    private static final String CALLER = TestTenant.namespace("nexus-rules-" + SUFFIX);
    private static final String HANDLER = TestTenant.namespace("nexus-rules-handler-" + SUFFIX);
    private static final String HANDLER_QUEUE = "rules-handlers";
    private static final String ENDPOINT = "rules_" + SUFFIX;
    private static WorkflowServiceStubs service;
    private static WorkflowServiceGrpc.WorkflowServiceBlockingStub api;

    @BeforeAll
    static void provision() {
        TestTenant.provision(CALLER);
        TestTenant.provision(HANDLER);
        TestTenant.provisionNexusEndpoint("rules-" + SUFFIX, ENDPOINT, HANDLER, HANDLER_QUEUE, List.of(CALLER));
        service = TestTenant.connect(SdkHarness.TARGET);
        api = service.blockingStub();
    }

    @AfterAll
    static void disconnect() {
        if (service != null) {
            service.shutdownNow();
        }
    }

    private static ScheduleNexusOperationCommandAttributes.Builder operation() {
        return ScheduleNexusOperationCommandAttributes.newBuilder().setEndpoint(ENDPOINT).setService("svc")
                .setOperation("op").setInput(payload("\"hi\""));
    }

    private static Command schedule(ScheduleNexusOperationCommandAttributes.Builder attributes) {
        return Command.newBuilder().setCommandType(CommandType.COMMAND_TYPE_SCHEDULE_NEXUS_OPERATION)
                .setScheduleNexusOperationCommandAttributes(attributes).build();
    }

    private static Payload payload(String json) {
        return Payload.newBuilder().putMetadata("encoding", ByteString.copyFromUtf8("json/plain"))
                .setData(ByteString.copyFromUtf8(json)).build();
    }

    /** Starts a run of the caller namespace and answers its first workflow task with {@code commands}. */
    private static WorkflowExecution runAndComplete(String workflowId, Command... commands) {
        String queue = "rules-" + workflowId;
        String runId = api.startWorkflowExecution(StartWorkflowExecutionRequest.newBuilder().setNamespace(CALLER)
                .setWorkflowId(workflowId).setRequestId(UUID.randomUUID().toString())
                .setWorkflowType(WorkflowType.newBuilder().setName("RawCaller"))
                .setTaskQueue(TaskQueue.newBuilder().setName(queue)).build()).getRunId();
        PollWorkflowTaskQueueResponse task = api.pollWorkflowTaskQueue(PollWorkflowTaskQueueRequest.newBuilder()
                .setNamespace(CALLER).setIdentity("raw").setTaskQueue(TaskQueue.newBuilder().setName(queue)).build());
        try {
            api.respondWorkflowTaskCompleted(RespondWorkflowTaskCompletedRequest.newBuilder().setNamespace(CALLER)
                    .setTaskToken(task.getTaskToken()).setIdentity("raw").addAllCommands(List.of(commands)).build());
        } catch (StatusRuntimeException refused) {
            assertEquals(Status.Code.INVALID_ARGUMENT, refused.getStatus().getCode());
        }
        return WorkflowExecution.newBuilder().setWorkflowId(workflowId).setRunId(runId).build();
    }

    private static List<HistoryEvent> history(WorkflowExecution run) {
        return api.getWorkflowExecutionHistory(GetWorkflowExecutionHistoryRequest.newBuilder().setNamespace(CALLER)
                .setExecution(run).build()).getHistory().getEventsList();
    }

    private static WorkflowTaskFailedEventAttributes refusal(String workflowId, Command... commands) {
        WorkflowExecution run = runAndComplete(workflowId, commands);
        try {
            return history(run).stream().filter(e -> e.getEventType() == EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED)
                    .findFirst().orElseThrow(() -> new AssertionError("accepted: " + history(run)))
                    .getWorkflowTaskFailedEventAttributes();
        } finally {
            terminate(run);
        }
    }

    private static void terminate(WorkflowExecution run) {
        try {
            api.terminateWorkflowExecution(TerminateWorkflowExecutionRequest.newBuilder().setNamespace(CALLER)
                    .setWorkflowExecution(run).setReason("test done").build());
        } catch (StatusRuntimeException closedAlready) {
            assertEquals(Status.Code.NOT_FOUND, closedAlready.getStatus().getCode());
        }
    }

    @Test
    void theHandlerGetsTheWorkflowsHeaderTheCallbackAndTheFailureCapability() {
        WorkflowExecution run = runAndComplete("header-" + SUFFIX, schedule(operation().putNexusHeader("X-Trace", "abc")));
        PollNexusTaskQueueResponse task = api.pollNexusTaskQueue(PollNexusTaskQueueRequest.newBuilder()
                .setNamespace(HANDLER).setIdentity("raw-handler")
                .setTaskQueue(TaskQueue.newBuilder().setName(HANDLER_QUEUE)).build());
        var request = task.getRequest();
        assertEquals("abc", request.getHeaderMap().get("x-trace"), request.getHeaderMap().toString());
        assertTrue(request.getCapabilities().getTemporalFailureResponses());
        assertEquals(ENDPOINT, request.getEndpoint());
        var start = request.getStartOperation();
        assertEquals("svc", start.getService());
        assertEquals("op", start.getOperation());
        assertEquals("\"hi\"", start.getPayload().getData().toStringUtf8());
        assertEquals("temporal://system", start.getCallback());
        assertFalse(start.getCallbackHeaderMap().getOrDefault("temporal-callback-token", "").isEmpty());
        assertEquals(1, start.getLinksCount());
        assertTrue(start.getLinks(0).getUrl().startsWith("temporal:///namespaces/" + CALLER + "/workflows/header-"),
                start.getLinks(0).getUrl());

        api.respondNexusTaskCompleted(RespondNexusTaskCompletedRequest.newBuilder().setNamespace(HANDLER)
                .setTaskToken(task.getTaskToken()).setIdentity("raw-handler")
                .setResponse(Response.newBuilder().setStartOperation(StartOperationResponse.newBuilder()
                        .setSyncSuccess(StartOperationResponse.Sync.newBuilder().setPayload(payload("\"done\"")))))
                .build());
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (history(run).stream().noneMatch(e -> e.getEventType() == EventType.EVENT_TYPE_NEXUS_OPERATION_COMPLETED)) {
            assertTrue(System.nanoTime() < deadline, "no completion: " + history(run));
            Thread.onSpinWait();
        }
        var scheduled = history(run).stream().filter(e -> e.getEventType() == EventType.EVENT_TYPE_NEXUS_OPERATION_SCHEDULED)
                .findFirst().orElseThrow().getNexusOperationScheduledEventAttributes();
        assertEquals("abc", scheduled.getNexusHeaderMap().get("x-trace"), "kept lower-cased, as Temporal keeps it");
        assertEquals("\"done\"", history(run).stream()
                .filter(e -> e.getEventType() == EventType.EVENT_TYPE_NEXUS_OPERATION_COMPLETED).findFirst().orElseThrow()
                .getNexusOperationCompletedEventAttributes().getResult().getData().toStringUtf8());
        terminate(run);
    }

    /**
     * A worker not using Temporal failure responses (the Go SDK's legacy form) answers a handler error with a
     * Nexus failure; the caller sees what the handler raised as the handler error's cause, rebuilt from the
     * details when they hold a Temporal failure, else as a NexusFailure application failure (as Temporal does).
     */
    @Test
    void aLegacyHandlerErrorReachesTheCallerWithItsCause() {
        String temporalFailure = "{\"applicationFailureInfo\":{\"type\":\"TestType\"}}";
        Failure withTemporal = legacyHandlerError("legacy-app-" + SUFFIX, io.temporal.api.nexus.v1.Failure.newBuilder()
                .setMessage("bad request").putMetadata("type", "temporal.api.failure.v1.Failure")
                .setDetails(ByteString.copyFromUtf8(temporalFailure)).build());
        Failure handler = withTemporal.getCause();
        assertEquals("BAD_REQUEST", handler.getNexusHandlerFailureInfo().getType());
        assertEquals("bad request", handler.getCause().getMessage());
        assertEquals("TestType", handler.getCause().getApplicationFailureInfo().getType());

        Failure other = legacyHandlerError("legacy-other-" + SUFFIX, io.temporal.api.nexus.v1.Failure.newBuilder()
                .setMessage("odd").putMetadata("type", "custom").build()).getCause();
        assertEquals("odd", other.getCause().getMessage());
        assertEquals("NexusFailure", other.getCause().getApplicationFailureInfo().getType());
    }

    /** The failure of the caller's operation whose handler answered a non-retryable legacy handler error. */
    private static Failure legacyHandlerError(String workflowId, io.temporal.api.nexus.v1.Failure cause) {
        WorkflowExecution run = runAndComplete(workflowId, schedule(operation()));
        PollNexusTaskQueueResponse task = api.pollNexusTaskQueue(PollNexusTaskQueueRequest.newBuilder()
                .setNamespace(HANDLER).setIdentity("raw-handler")
                .setTaskQueue(TaskQueue.newBuilder().setName(HANDLER_QUEUE)).build());
        api.respondNexusTaskFailed(RespondNexusTaskFailedRequest.newBuilder().setNamespace(HANDLER)
                .setTaskToken(task.getTaskToken()).setIdentity("raw-handler")
                .setError(HandlerError.newBuilder().setErrorType("BAD_REQUEST").setFailure(cause)).build());
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (history(run).stream().noneMatch(e -> e.getEventType() == EventType.EVENT_TYPE_NEXUS_OPERATION_FAILED)) {
            assertTrue(System.nanoTime() < deadline, "not failed: " + history(run));
            Thread.onSpinWait();
        }
        terminate(run);
        return history(run).stream().filter(e -> e.getEventType() == EventType.EVENT_TYPE_NEXUS_OPERATION_FAILED)
                .findFirst().orElseThrow().getNexusOperationFailedEventAttributes().getFailure();
    }

    @Test
    void headersOnlyTheServerSetsAreRefused() {
        WorkflowTaskFailedEventAttributes refused = refusal("server-header-" + SUFFIX,
                schedule(operation().putNexusHeader("Request-Timeout", "1s")));
        assertEquals(WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_BAD_SCHEDULE_NEXUS_OPERATION_ATTRIBUTES,
                refused.getCause());
        assertEquals("ScheduleNexusOperationCommandAttributes.NexusHeader contains a disallowed header key: "
                + "\"Request-Timeout\"", refused.getFailure().getMessage());
    }

    @Test
    void aRunHasAtMostThirtyPendingOperations() {
        Command[] commands = IntStream.range(0, 31).mapToObj(i -> schedule(operation())).toArray(Command[]::new);
        WorkflowTaskFailedEventAttributes refused = refusal("thirty-one-" + SUFFIX, commands);
        assertEquals(WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_PENDING_NEXUS_OPERATIONS_LIMIT_EXCEEDED,
                refused.getCause());
        assertEquals("workflow has reached the pending nexus operation limit of 30 for this namespace",
                refused.getFailure().getMessage());
    }

    @Test
    void cancellingAnOperationThatDoesNotExistIsRefused() {
        WorkflowTaskFailedEventAttributes refused = refusal("cancel-nothing-" + SUFFIX, Command.newBuilder()
                .setCommandType(CommandType.COMMAND_TYPE_REQUEST_CANCEL_NEXUS_OPERATION)
                .setRequestCancelNexusOperationCommandAttributes(RequestCancelNexusOperationCommandAttributes.newBuilder()
                        .setScheduledEventId(99)).build());
        assertEquals(WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_BAD_REQUEST_CANCEL_NEXUS_OPERATION_ATTRIBUTES,
                refused.getCause());
        assertEquals("requested cancelation for a non-existing or already completed operation with scheduled event "
                + "ID of 99", refused.getFailure().getMessage());
    }

    @Test
    void anInputOverTheLimitEndsTheRun() {
        String big = "\"" + "x".repeat(2 * 1024 * 1024) + "\"";
        WorkflowExecution run = runAndComplete("too-big-" + SUFFIX, schedule(operation().setInput(payload(big))));
        var status = api.describeWorkflowExecution(DescribeWorkflowExecutionRequest.newBuilder().setNamespace(CALLER)
                .setExecution(run).build()).getWorkflowExecutionInfo().getStatus();
        assertEquals(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_TERMINATED, status);
        assertTrue(history(run).stream().anyMatch(e -> e.getEventType() == EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED
                && e.getWorkflowTaskFailedEventAttributes().getFailure().getMessage()
                .equals("ScheduleNexusOperationCommandAttributes.Input exceeds size limit")));
    }
}
