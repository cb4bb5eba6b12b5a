package dev.aeon.dataplane.sdk;

import dev.aeon.dataplane.TestTenant;
import com.google.common.util.concurrent.ListenableFuture;
import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.junit.QuarkusTest;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.common.v1.WorkflowType;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.UpdateWorkflowExecutionLifecycleStage;
import io.temporal.api.failure.v1.Failure;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.protocol.v1.Message;
import io.temporal.api.taskqueue.v1.TaskQueue;
import io.temporal.api.update.v1.Input;
import io.temporal.api.update.v1.Meta;
import io.temporal.api.update.v1.Rejection;
import io.temporal.api.update.v1.Request;
import io.temporal.api.update.v1.WaitPolicy;
import io.temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryRequest;
import io.temporal.api.workflowservice.v1.PollWorkflowTaskQueueRequest;
import io.temporal.api.workflowservice.v1.PollWorkflowTaskQueueResponse;
import io.temporal.api.workflowservice.v1.RespondWorkflowTaskCompletedRequest;
import io.temporal.api.workflowservice.v1.RespondWorkflowTaskCompletedResponse;
import io.temporal.api.workflowservice.v1.SignalWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.StartWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.UpdateWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.UpdateWorkflowExecutionResponse;
import io.temporal.serviceclient.WorkflowServiceStubs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Workflow tasks seen from the wire, playing the worker by hand: a speculative task made for an update that is
 * only rejected vanishes (and tells the worker where to roll back to); a signal arriving while it runs makes it a
 * normal task whose events reach history; a worker asking for its next task in its answer gets it started; a query
 * task carries the whole history and no started event id, and waits for a task in flight; each command's event gets
 * the id an SDK predicts for it.
 */
@QuarkusTest
class SpeculativeWorkflowTaskTest {

    static final String NAMESPACE = TestTenant.namespace("speculative");
    static final String TASK_QUEUE = "speculative-by-hand";

    static WorkflowServiceStubs service;

    @BeforeAll
    static void connect() {
        TestTenant.provision(NAMESPACE);
        service = TestTenant.connect(SdkHarness.TARGET);
    }

    @AfterAll
    static void disconnect() {
        service.shutdownNow();
    }

    @Test
    void aTaskThatOnlyRejectsVanishesAndOneThatSawASignalIsKept() throws Exception {
        WorkflowExecution execution = start("speculative-" + UUID.randomUUID(), TASK_QUEUE);
        PollWorkflowTaskQueueResponse first = poll();
        service.blockingStub().respondWorkflowTaskCompleted(RespondWorkflowTaskCompletedRequest.newBuilder()
                .setNamespace(NAMESPACE).setTaskToken(first.getTaskToken()).build());
        assertEquals(4, history(execution).size());

        ListenableFuture<UpdateWorkflowExecutionResponse> rejected = update(execution, "first");
        PollWorkflowTaskQueueResponse speculative = poll();
        assertEquals(List.of(5L, 6L), speculative.getHistory().getEventsList().stream().skip(4)
                .map(HistoryEvent::getEventId).toList(), "the worker sees the task's events");
        assertEquals(4, history(execution).size(), "history does not");
        RespondWorkflowTaskCompletedResponse discarded = service.blockingStub().respondWorkflowTaskCompleted(
                reject(speculative));
        assertEquals(3, discarded.getResetHistoryEventId(), "the worker rolls back to the last kept task");
        assertTrue(rejected.get(30, TimeUnit.SECONDS).getOutcome().hasFailure());
        assertEquals(4, history(execution).size());

        ListenableFuture<UpdateWorkflowExecutionResponse> second = update(execution, "second");
        PollWorkflowTaskQueueResponse converted = poll();
        assertEquals(6, converted.getStartedEventId(), "the next speculative task takes the same event ids");
        StatusRuntimeException stale = assertThrows(StatusRuntimeException.class,
                () -> service.blockingStub().respondWorkflowTaskCompleted(reject(speculative)));
        assertEquals(Status.Code.NOT_FOUND, stale.getStatus().getCode(), "the discarded task's token is stale");
        service.blockingStub().signalWorkflowExecution(SignalWorkflowExecutionRequest.newBuilder()
                .setNamespace(NAMESPACE).setWorkflowExecution(execution).setSignalName("poke")
                .setRequestId(UUID.randomUUID().toString()).build());
        assertEquals(6, history(execution).size(), "a signal makes the task normal: its events are written");
        RespondWorkflowTaskCompletedResponse kept = service.blockingStub().respondWorkflowTaskCompleted(
                reject(converted));
        assertEquals(0, kept.getResetHistoryEventId());
        assertTrue(second.get(30, TimeUnit.SECONDS).getOutcome().hasFailure());
        assertEquals(List.of(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED,
                EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED, EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED,
                EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED,
                EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED, EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED,
                EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED, EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED,
                EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED),
                history(execution).stream().map(HistoryEvent::getEventType).toList());
    }

    @Test
    void aWorkerThatAsksForTheNextTaskInItsAnswerGetsItStarted() {
        // What SDKs do while a local activity outlives the workflow task: complete it, force a new one, and ask
        // for that one in the answer (return_new_workflow_task), as Temporal hands it back.
        String queue = "heartbeat-by-hand";
        WorkflowExecution execution = start("heartbeat-" + UUID.randomUUID(), queue);
        PollWorkflowTaskQueueResponse first = poll(queue);

        RespondWorkflowTaskCompletedResponse answer = service.blockingStub().respondWorkflowTaskCompleted(
                RespondWorkflowTaskCompletedRequest.newBuilder().setNamespace(NAMESPACE).setIdentity("by-hand")
                        .setTaskToken(first.getTaskToken()).setForceCreateNewWorkflowTask(true)
                        .setReturnNewWorkflowTask(true).build());

        assertTrue(answer.hasWorkflowTask(), "the next task comes in the answer");
        PollWorkflowTaskQueueResponse next = answer.getWorkflowTask();
        assertEquals(3, next.getPreviousStartedEventId());
        assertEquals(6, next.getStartedEventId());
        assertEquals(List.of(4L, 5L, 6L), next.getHistory().getEventsList().stream().map(HistoryEvent::getEventId)
                .toList(), "the worker holds the run: only the events since its previous task");
        service.blockingStub().respondWorkflowTaskCompleted(RespondWorkflowTaskCompletedRequest.newBuilder()
                .setNamespace(NAMESPACE).setIdentity("by-hand").setTaskToken(next.getTaskToken())
                .addCommands(io.temporal.api.command.v1.Command.newBuilder()
                        .setCommandType(io.temporal.api.enums.v1.CommandType.COMMAND_TYPE_COMPLETE_WORKFLOW_EXECUTION)
                        .setCompleteWorkflowExecutionCommandAttributes(
                                io.temporal.api.command.v1.CompleteWorkflowExecutionCommandAttributes.getDefaultInstance()))
                .build());
        assertEquals(List.of(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED,
                EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED, EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED,
                EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED,
                EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED, EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED,
                EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED, EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED),
                history(execution).stream().map(HistoryEvent::getEventType).toList());
    }

    @Test
    void aQueryTaskCarriesTheWholeHistoryAndNoStartedEventId() throws Exception {
        String queue = "query-by-hand";
        WorkflowExecution execution = start("query-" + UUID.randomUUID(), queue);
        service.blockingStub().respondWorkflowTaskCompleted(RespondWorkflowTaskCompletedRequest.newBuilder()
                .setNamespace(NAMESPACE).setTaskToken(poll(queue).getTaskToken()).build());
        var answer = service.futureStub().queryWorkflow(io.temporal.api.workflowservice.v1.QueryWorkflowRequest
                .newBuilder().setNamespace(NAMESPACE).setExecution(execution)
                .setQuery(io.temporal.api.query.v1.WorkflowQuery.newBuilder().setQueryType("state")).build());

        PollWorkflowTaskQueueResponse query = poll(queue);

        assertTrue(query.hasQuery());
        assertEquals(0, query.getStartedEventId(), "a query task starts no workflow task");
        assertEquals(3, query.getPreviousStartedEventId());
        assertEquals(List.of(1L, 2L, 3L, 4L), query.getHistory().getEventsList().stream()
                .map(HistoryEvent::getEventId).toList());
        service.blockingStub().respondQueryTaskCompleted(io.temporal.api.workflowservice.v1
                .RespondQueryTaskCompletedRequest.newBuilder().setNamespace(NAMESPACE)
                .setTaskToken(query.getTaskToken())
                .setCompletedType(io.temporal.api.enums.v1.QueryResultType.QUERY_RESULT_TYPE_ANSWERED).build());
        answer.get(30, TimeUnit.SECONDS);
    }

    @Test
    void aQueryWaitsForTheWorkflowTaskInFlight() throws Exception {
        // Temporal's queries are strongly consistent: one that arrives while a workflow task runs is held until
        // that task completes, so it sees what the task did (the Go suite's TestConsistentQuery).
        String queue = "consistent-query-by-hand";
        WorkflowExecution execution = start("consistent-query-" + UUID.randomUUID(), queue);
        service.blockingStub().respondWorkflowTaskCompleted(RespondWorkflowTaskCompletedRequest.newBuilder()
                .setNamespace(NAMESPACE).setTaskToken(poll(queue).getTaskToken()).build());
        service.blockingStub().signalWorkflowExecution(SignalWorkflowExecutionRequest.newBuilder()
                .setNamespace(NAMESPACE).setWorkflowExecution(execution).setSignalName("poke")
                .setRequestId(UUID.randomUUID().toString()).build());
        PollWorkflowTaskQueueResponse running = poll(queue);
        var answer = service.futureStub().queryWorkflow(io.temporal.api.workflowservice.v1.QueryWorkflowRequest
                .newBuilder().setNamespace(NAMESPACE).setExecution(execution)
                .setQuery(io.temporal.api.query.v1.WorkflowQuery.newBuilder().setQueryType("state")).build());

        PollWorkflowTaskQueueResponse early;
        try {
            early = service.blockingStub().withDeadlineAfter(3, TimeUnit.SECONDS).pollWorkflowTaskQueue(
                    PollWorkflowTaskQueueRequest.newBuilder().setNamespace(NAMESPACE).setIdentity("by-hand")
                            .setTaskQueue(TaskQueue.newBuilder().setName(queue)).build());
        } catch (StatusRuntimeException e) {
            assertEquals(Status.Code.DEADLINE_EXCEEDED, e.getStatus().getCode());
            early = PollWorkflowTaskQueueResponse.getDefaultInstance();
        }
        assertTrue(early.getTaskToken().isEmpty(), "no query task while the workflow task runs: " + early.getQuery());
        service.blockingStub().respondWorkflowTaskCompleted(RespondWorkflowTaskCompletedRequest.newBuilder()
                .setNamespace(NAMESPACE).setTaskToken(running.getTaskToken()).build());

        PollWorkflowTaskQueueResponse query = poll(queue);
        assertTrue(query.hasQuery());
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L), query.getHistory().getEventsList().stream()
                .map(HistoryEvent::getEventId).toList(), "the query sees the completed task");
        service.blockingStub().respondQueryTaskCompleted(io.temporal.api.workflowservice.v1
                .RespondQueryTaskCompletedRequest.newBuilder().setNamespace(NAMESPACE)
                .setTaskToken(query.getTaskToken())
                .setCompletedType(io.temporal.api.enums.v1.QueryResultType.QUERY_RESULT_TYPE_ANSWERED).build());
        answer.get(30, TimeUnit.SECONDS);
    }

    @Test
    void eachCommandsEventHasThePredictedIdWhenAnActivityIsCanceledBeforeItStarted() {
        // SDKs predict the event id each command will get (the Go SDK: task started + 2, then one per command) and
        // look up their activities by it. The activity canceled before it started gets its canceled event after all
        // the command events, as Temporal buffers it (the Go suite's TestCancelActivityImmediately).
        String queue = "cancel-queued-by-hand";
        WorkflowExecution execution = start("cancel-queued-" + UUID.randomUUID(), queue);
        service.blockingStub().respondWorkflowTaskCompleted(RespondWorkflowTaskCompletedRequest.newBuilder()
                .setNamespace(NAMESPACE).setTaskToken(poll(queue).getTaskToken())
                .addCommands(scheduleActivity("never-started")).build());
        service.blockingStub().signalWorkflowExecution(SignalWorkflowExecutionRequest.newBuilder()
                .setNamespace(NAMESPACE).setWorkflowExecution(execution).setSignalName("poke")
                .setRequestId(UUID.randomUUID().toString()).build());
        PollWorkflowTaskQueueResponse second = poll(queue);
        assertEquals(8, second.getStartedEventId());

        service.blockingStub().respondWorkflowTaskCompleted(RespondWorkflowTaskCompletedRequest.newBuilder()
                .setNamespace(NAMESPACE).setTaskToken(second.getTaskToken())
                .addCommands(io.temporal.api.command.v1.Command.newBuilder()
                        .setCommandType(io.temporal.api.enums.v1.CommandType.COMMAND_TYPE_REQUEST_CANCEL_ACTIVITY_TASK)
                        .setRequestCancelActivityTaskCommandAttributes(io.temporal.api.command.v1
                                .RequestCancelActivityTaskCommandAttributes.newBuilder().setScheduledEventId(5)))
                .addCommands(scheduleActivity("next")).build());

        List<HistoryEvent> events = history(execution);
        assertEquals(List.of(EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED, EventType.EVENT_TYPE_ACTIVITY_TASK_CANCEL_REQUESTED,
                        EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED, EventType.EVENT_TYPE_ACTIVITY_TASK_CANCELED,
                        EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED),
                events.subList(8, 13).stream().map(HistoryEvent::getEventType).toList());
        assertEquals("next", events.get(10).getActivityTaskScheduledEventAttributes().getActivityId(),
                "the second command's event is started + 3, as predicted");
        assertEquals(10, events.get(11).getActivityTaskCanceledEventAttributes().getLatestCancelRequestedEventId());

        // Cancel and complete in one answer: nothing follows the close event.
        PollWorkflowTaskQueueResponse third = poll(queue);
        service.blockingStub().respondWorkflowTaskCompleted(RespondWorkflowTaskCompletedRequest.newBuilder()
                .setNamespace(NAMESPACE).setTaskToken(third.getTaskToken())
                .addCommands(io.temporal.api.command.v1.Command.newBuilder()
                        .setCommandType(io.temporal.api.enums.v1.CommandType.COMMAND_TYPE_REQUEST_CANCEL_ACTIVITY_TASK)
                        .setRequestCancelActivityTaskCommandAttributes(io.temporal.api.command.v1
                                .RequestCancelActivityTaskCommandAttributes.newBuilder().setScheduledEventId(11)))
                .addCommands(io.temporal.api.command.v1.Command.newBuilder()
                        .setCommandType(io.temporal.api.enums.v1.CommandType.COMMAND_TYPE_COMPLETE_WORKFLOW_EXECUTION)
                        .setCompleteWorkflowExecutionCommandAttributes(
                                io.temporal.api.command.v1.CompleteWorkflowExecutionCommandAttributes.getDefaultInstance()))
                .build());
        List<HistoryEvent> closed = history(execution);
        assertEquals(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED, closed.get(closed.size() - 1).getEventType());
        assertEquals(EventType.EVENT_TYPE_ACTIVITY_TASK_CANCEL_REQUESTED, closed.get(closed.size() - 2).getEventType());
    }

    @Test
    void aCompletionTheServerRefusesIsAnErrorToTheWorker() {
        // The worker closes the workflow without seeing a signal that came meanwhile: Temporal fails the task
        // (UNHANDLED_COMMAND) and tells the worker so with INVALID_ARGUMENT, not with a success it would count.
        String queue = "unhandled-by-hand";
        WorkflowExecution execution = start("unhandled-" + UUID.randomUUID(), queue);
        PollWorkflowTaskQueueResponse first = poll(queue);
        service.blockingStub().signalWorkflowExecution(SignalWorkflowExecutionRequest.newBuilder()
                .setNamespace(NAMESPACE).setWorkflowExecution(execution).setSignalName("poke")
                .setRequestId(UUID.randomUUID().toString()).build());

        StatusRuntimeException refused = assertThrows(StatusRuntimeException.class,
                () -> service.blockingStub().respondWorkflowTaskCompleted(RespondWorkflowTaskCompletedRequest.newBuilder()
                        .setNamespace(NAMESPACE).setTaskToken(first.getTaskToken())
                        .addCommands(io.temporal.api.command.v1.Command.newBuilder()
                                .setCommandType(io.temporal.api.enums.v1.CommandType.COMMAND_TYPE_COMPLETE_WORKFLOW_EXECUTION)
                                .setCompleteWorkflowExecutionCommandAttributes(io.temporal.api.command.v1
                                        .CompleteWorkflowExecutionCommandAttributes.getDefaultInstance()))
                        .build()));

        assertEquals(Status.Code.INVALID_ARGUMENT, refused.getStatus().getCode());
        assertTrue(refused.getStatus().getDescription().startsWith("WORKFLOW_TASK_FAILED_CAUSE_UNHANDLED_COMMAND"),
                refused.getStatus().getDescription());
        assertEquals(List.of(EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED, EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED,
                        EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED),
                history(execution).stream().skip(3).map(HistoryEvent::getEventType).toList());
    }

    @Test
    void anActivityTheWorkerAsksToRunItselfComesInTheCompletionsAnswer() {
        // request_eager_execution: Temporal starts the activity in the completion and hands it to the worker that
        // completed the task, not to whichever worker of the queue polls first.
        String queue = "eager-by-hand";
        WorkflowExecution execution = start("eager-" + UUID.randomUUID(), queue);
        io.temporal.api.command.v1.Command eager = scheduleActivity("eager").toBuilder()
                .setScheduleActivityTaskCommandAttributes(scheduleActivity("eager").getScheduleActivityTaskCommandAttributes()
                        .toBuilder().setTaskQueue(TaskQueue.newBuilder().setName(queue)).setRequestEagerExecution(true))
                .build();

        RespondWorkflowTaskCompletedResponse answer = service.blockingStub().respondWorkflowTaskCompleted(
                RespondWorkflowTaskCompletedRequest.newBuilder().setNamespace(NAMESPACE).setIdentity("by-hand")
                        .setTaskToken(poll(queue).getTaskToken()).addCommands(eager).build());

        assertEquals(1, answer.getActivityTasksCount(), "the activity comes with the answer");
        io.temporal.api.workflowservice.v1.PollActivityTaskQueueResponse task = answer.getActivityTasks(0);
        assertEquals("eager", task.getActivityId());
        assertEquals(execution, task.getWorkflowExecution());
        service.blockingStub().respondActivityTaskCompleted(io.temporal.api.workflowservice.v1
                .RespondActivityTaskCompletedRequest.newBuilder().setNamespace(NAMESPACE).setIdentity("by-hand")
                .setTaskToken(task.getTaskToken()).build());
        List<HistoryEvent> events = history(execution);
        assertEquals(List.of(EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED, EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED,
                        EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED, EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED),
                events.stream().skip(4).map(HistoryEvent::getEventType).toList());
        assertEquals("by-hand", events.get(5).getActivityTaskStartedEventAttributes().getIdentity());
    }

    private static io.temporal.api.command.v1.Command scheduleActivity(String activityId) {
        return io.temporal.api.command.v1.Command.newBuilder()
                .setCommandType(io.temporal.api.enums.v1.CommandType.COMMAND_TYPE_SCHEDULE_ACTIVITY_TASK)
                .setScheduleActivityTaskCommandAttributes(io.temporal.api.command.v1.ScheduleActivityTaskCommandAttributes
                        .newBuilder().setActivityId(activityId)
                        .setActivityType(io.temporal.api.common.v1.ActivityType.newBuilder().setName("Nobody"))
                        .setTaskQueue(TaskQueue.newBuilder().setName("no-worker-polls-this"))
                        .setStartToCloseTimeout(com.google.protobuf.util.Durations.fromSeconds(60)))
                .build();
    }

    private static WorkflowExecution start(String id, String taskQueue) {
        return WorkflowExecution.newBuilder().setWorkflowId(id)
                .setRunId(service.blockingStub().startWorkflowExecution(StartWorkflowExecutionRequest.newBuilder()
                        .setNamespace(NAMESPACE).setWorkflowId(id).setRequestId(UUID.randomUUID().toString())
                        .setWorkflowType(WorkflowType.newBuilder().setName("Waiting"))
                        .setTaskQueue(TaskQueue.newBuilder().setName(taskQueue)).build()).getRunId())
                .build();
    }

    private PollWorkflowTaskQueueResponse poll() {
        return poll(TASK_QUEUE);
    }

    private PollWorkflowTaskQueueResponse poll(String taskQueue) {
        for (int i = 0; i < 5; i++) {
            PollWorkflowTaskQueueResponse task = service.blockingStub().pollWorkflowTaskQueue(
                    PollWorkflowTaskQueueRequest.newBuilder().setNamespace(NAMESPACE).setIdentity("by-hand")
                            .setTaskQueue(TaskQueue.newBuilder().setName(taskQueue)).build());
            if (!task.getTaskToken().isEmpty()) {
                return task;
            }
        }
        throw new AssertionError("no workflow task came");
    }

    private ListenableFuture<UpdateWorkflowExecutionResponse> update(WorkflowExecution execution, String updateId) {
        return service.futureStub().updateWorkflowExecution(UpdateWorkflowExecutionRequest.newBuilder()
                .setNamespace(NAMESPACE).setWorkflowExecution(execution)
                .setWaitPolicy(WaitPolicy.newBuilder().setLifecycleStage(
                        UpdateWorkflowExecutionLifecycleStage.UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_ACCEPTED))
                .setRequest(Request.newBuilder().setMeta(Meta.newBuilder().setUpdateId(updateId))
                        .setInput(Input.newBuilder().setName("add")))
                .build());
    }

    /** The worker's answer to a task carrying one update request: its validator refuses it, no commands. */
    private static RespondWorkflowTaskCompletedRequest reject(PollWorkflowTaskQueueResponse task) {
        Message request = task.getMessages(0);
        Request update;
        try {
            update = request.getBody().unpack(Request.class);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
        return RespondWorkflowTaskCompletedRequest.newBuilder().setNamespace(NAMESPACE)
                .setTaskToken(task.getTaskToken())
                .addMessages(Message.newBuilder().setId(request.getProtocolInstanceId() + "/reject")
                        .setProtocolInstanceId(request.getProtocolInstanceId())
                        .setBody(Any.pack(Rejection.newBuilder().setRejectedRequestMessageId(request.getId())
                                .setRejectedRequest(update)
                                .setFailure(Failure.newBuilder().setMessage("no")).build())))
                .build();
    }

    private static List<HistoryEvent> history(WorkflowExecution execution) {
        return service.blockingStub().getWorkflowExecutionHistory(GetWorkflowExecutionHistoryRequest.newBuilder()
                .setNamespace(NAMESPACE).setExecution(execution).setNextPageToken(ByteString.EMPTY).build())
                .getHistory().getEventsList();
    }
}
