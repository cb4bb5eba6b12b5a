package dev.aeon.dataplane.sdk;

import dev.aeon.dataplane.TestTenant;
import io.nexusrpc.Operation;
import io.nexusrpc.OperationException;
import io.nexusrpc.Service;
import io.nexusrpc.handler.HandlerException;
import io.nexusrpc.handler.OperationHandler;
import io.nexusrpc.handler.OperationImpl;
import io.nexusrpc.handler.ServiceImpl;
import io.quarkus.test.junit.QuarkusTest;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.enums.v1.WorkflowTaskFailedCause;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.nexus.Nexus;
import io.temporal.nexus.WorkflowRunOperation;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.NexusOperationHandle;
import io.temporal.workflow.NexusOperationCancellationType;
import io.temporal.workflow.NexusOperationOptions;
import io.temporal.workflow.NexusServiceOptions;
import io.temporal.workflow.NexusServiceStub;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The caller side of Nexus with the real Java SDK on both sides: a caller workflow in one namespace calls operations
 * of an endpoint whose target is another namespace of the account, served by a handler worker there. Synchronous and
 * workflow-run operations, handler errors, failed operations and workflows, cancellation, timeouts, and the
 * endpoint's allowed callers. Every caller history is replayed by the SDK when the harness closes.
 */
@QuarkusTest
class NexusCallerTest {

    private static final String SUFFIX = UUID.randomUUID().toString().substring(0, 6);
    private static final String CALLER = TestTenant.namespace("nexus-caller-" + SUFFIX);
    private static final String OUTSIDER = TestTenant.namespace("nexus-outsider-" + SUFFIX);
    private static final String HANDLER = TestTenant.namespace("nexus-handler-" + SUFFIX);
    private static final String CALLER_QUEUE = "nexus-callers";
    private static final String HANDLER_QUEUE = "nexus-greetings";
    private static final String ENDPOINT_ID = "caller-test-" + SUFFIX;
    private static final String ENDPOINT = "greetings_" + SUFFIX;
    /** Synchronous requests the handler served, so a test can tell the handler never saw a refused call. */
    static final AtomicInteger HELLOS = new AtomicInteger();
    static final AtomicInteger FLAKY_REQUESTS = new AtomicInteger();

    @Service
    public interface GreetingService {
        @Operation
        String hello(String name);

        @Operation
        String greetLater(String name);

        @Operation
        String refuse(String name);

        @Operation
        String fail(String name);

        @Operation
        String failLater(String name);

        @Operation
        String waitForever(String name);

        @Operation
        String flaky(String name);

        @Operation
        String shared(String name);
    }

    @WorkflowInterface
    public interface GreetingWorkflow {
        @WorkflowMethod
        String greet(String name);
    }

    public static class GreetingWorkflowImpl implements GreetingWorkflow {
        @Override
        public String greet(String name) {
            if (name.startsWith("forever")) {
                Workflow.await(() -> false);
            }
            if (name.startsWith("shared")) {
                Workflow.sleep(Duration.ofSeconds(5)); // long enough for the second caller to join
            }
            Workflow.sleep(Duration.ofMillis(500));
            if (name.startsWith("fail")) {
                throw ApplicationFailure.newNonRetryableFailure("no greeting today for " + name, "Refusal");
            }
            return "Hello later, " + name;
        }
    }

    @ServiceImpl(service = GreetingService.class)
    public static class GreetingServiceImpl {
        @OperationImpl
        public OperationHandler<String, String> hello() {
            return OperationHandler.sync((context, details, name) -> {
                HELLOS.incrementAndGet();
                return "Hello, " + name;
            });
        }

        @OperationImpl
        public OperationHandler<String, String> greetLater() {
            return workflowRun();
        }

        @OperationImpl
        public OperationHandler<String, String> failLater() {
            return workflowRun();
        }

        @OperationImpl
        public OperationHandler<String, String> waitForever() {
            return workflowRun();
        }

        /** Fails its first request with a retryable handler error, then answers. */
        @OperationImpl
        public OperationHandler<String, String> flaky() {
            return OperationHandler.sync((context, details, name) -> {
                if (FLAKY_REQUESTS.incrementAndGet() == 1) {
                    throw new HandlerException(HandlerException.ErrorType.INTERNAL, "not yet",
                            HandlerException.RetryBehavior.RETRYABLE);
                }
                return "At last, " + name;
            });
        }

        @OperationImpl
        public OperationHandler<String, String> refuse() {
            return OperationHandler.sync((context, details, name) -> {
                throw new HandlerException(HandlerException.ErrorType.BAD_REQUEST, "no greeting for " + name,
                        HandlerException.RetryBehavior.NON_RETRYABLE);
            });
        }

        @OperationImpl
        public OperationHandler<String, String> fail() {
            return OperationHandler.sync((context, details, name) -> {
                throw OperationException.failed("cannot greet " + name);
            });
        }

        /** One workflow for every caller with the same name: a second start uses the running one. */
        @OperationImpl
        public OperationHandler<String, String> shared() {
            return WorkflowRunOperation.fromWorkflowMethod((context, details, name) ->
                    Nexus.getOperationContext().getWorkflowClient().newWorkflowStub(GreetingWorkflow.class,
                            WorkflowOptions.newBuilder().setWorkflowId("greet-" + name)
                                    .setWorkflowIdConflictPolicy(
                                            io.temporal.api.enums.v1.WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING)
                                    .build())::greet);
        }

        private static OperationHandler<String, String> workflowRun() {
            return WorkflowRunOperation.fromWorkflowMethod((context, details, name) ->
                    Nexus.getOperationContext().getWorkflowClient().newWorkflowStub(GreetingWorkflow.class,
                            WorkflowOptions.newBuilder().setWorkflowId("greet-" + name).build())::greet);
        }
    }

    @WorkflowInterface
    public interface CallerWorkflow {
        /**
         * Calls {@code operation} of the endpoint; cancels it once started when {@code cancel}. Answers the result,
         * or "failure: " and what the SDK reported as the operation's cause.
         */
        @WorkflowMethod
        String call(String endpoint, String operation, String name, long scheduleToCloseMillis, boolean cancel);
    }

    public static class CallerWorkflowImpl implements CallerWorkflow {
        @Override
        public String call(String endpoint, String operation, String name, long scheduleToCloseMillis,
                           boolean cancel) {
            NexusOperationOptions.Builder options = NexusOperationOptions.newBuilder();
            if (scheduleToCloseMillis > 0) {
                options.setScheduleToCloseTimeout(Duration.ofMillis(scheduleToCloseMillis));
            }
            NexusServiceStub service = Workflow.newUntypedNexusServiceStub("GreetingService",
                    NexusServiceOptions.newBuilder().setEndpoint(endpoint).setOperationOptions(options.build()).build());
            try {
                if (!cancel) {
                    return service.execute(operation, String.class, name);
                }
                List<NexusOperationHandle<String>> handle = new java.util.ArrayList<>();
                CancellationScope scope = Workflow.newCancellationScope(
                        () -> handle.add(service.start(operation, String.class, name)));
                scope.run();
                handle.get(0).getExecution().get();
                scope.cancel();
                return handle.get(0).getResult().get();
            } catch (TemporalFailure failure) {
                Throwable cause = failure.getCause() == null ? failure : failure.getCause();
                return "failure: " + cause.getClass().getSimpleName() + ": "
                        + (cause instanceof TemporalFailure temporal ? temporal.getOriginalMessage() : cause.getMessage());
            }
        }
    }

    @WorkflowInterface
    public interface CancellingCallerWorkflow {
        /**
         * Starts {@code waitForever} with the cancellation type, cancels it once started and answers how the
         * operation ended for the workflow: the failure's class and its cause's.
         */
        @WorkflowMethod
        String cancelWith(String endpoint, String name, NexusOperationCancellationType type);
    }

    public static class CancellingCallerWorkflowImpl implements CancellingCallerWorkflow {
        @Override
        public String cancelWith(String endpoint, String name, NexusOperationCancellationType type) {
            NexusServiceStub service = Workflow.newUntypedNexusServiceStub("GreetingService",
                    NexusServiceOptions.newBuilder().setEndpoint(endpoint).setOperationOptions(
                            NexusOperationOptions.newBuilder().setCancellationType(type).build()).build());
            List<NexusOperationHandle<String>> handle = new java.util.ArrayList<>();
            CancellationScope scope = Workflow.newCancellationScope(
                    () -> handle.add(service.start("waitForever", String.class, name)));
            scope.run();
            handle.get(0).getExecution().get();
            scope.cancel();
            try {
                return "completed: " + handle.get(0).getResult().get();
            } catch (TemporalFailure failure) {
                return failure.getClass().getSimpleName()
                        + (failure.getCause() == null ? "" : "/" + failure.getCause().getClass().getSimpleName());
            }
        }
    }

    private static SdkHarness handlers;
    private static SdkHarness callers;
    private static SdkHarness outsiders;

    @BeforeAll
    static void start() {
        handlers = SdkHarness.start(HANDLER, HANDLER_QUEUE, worker -> {
            worker.registerWorkflowImplementationTypes(GreetingWorkflowImpl.class);
            worker.registerNexusServiceImplementation(new GreetingServiceImpl());
        });
        callers = SdkHarness.start(CALLER, CALLER_QUEUE, worker -> worker.registerWorkflowImplementationTypes(
                CallerWorkflowImpl.class, CancellingCallerWorkflowImpl.class));
        outsiders = SdkHarness.start(OUTSIDER, CALLER_QUEUE,
                worker -> worker.registerWorkflowImplementationTypes(CallerWorkflowImpl.class));
        provisionEndpoint(List.of(CALLER));
    }

    @AfterAll
    static void stop() {
        for (SdkHarness harness : new SdkHarness[] {callers, outsiders, handlers}) {
            if (harness != null) {
                harness.close();
            }
        }
    }

    static void provisionEndpoint(List<String> allowedCallers) {
        TestTenant.provisionNexusEndpoint(ENDPOINT_ID, ENDPOINT, HANDLER, HANDLER_QUEUE, allowedCallers);
    }

    private static String call(SdkHarness harness, String workflowId, String operation, String name,
                               long scheduleToCloseMillis, boolean cancel) {
        CallerWorkflow workflow = harness.client.newWorkflowStub(CallerWorkflow.class, WorkflowOptions.newBuilder()
                .setWorkflowId(workflowId).setTaskQueue(CALLER_QUEUE)
                .setWorkflowExecutionTimeout(Duration.ofMinutes(2)).build());
        return workflow.call(ENDPOINT, operation, name, scheduleToCloseMillis, cancel);
    }

    private static List<EventType> nexusEvents(SdkHarness harness, String workflowId) {
        return harness.client.fetchHistory(workflowId).getHistory().getEventsList().stream()
                .map(HistoryEvent::getEventType).filter(type -> type.name().contains("NEXUS")).toList();
    }

    private static HistoryEvent event(SdkHarness harness, String workflowId, EventType type) {
        return harness.client.fetchHistory(workflowId).getHistory().getEventsList().stream()
                .filter(e -> e.getEventType() == type).findFirst().orElseThrow();
    }

    @Test
    void aSynchronousOperationAnswersInTheCallersHistory() {
        String id = "sync-" + SUFFIX;
        assertEquals("Hello, Ann", call(callers, id, "hello", "Ann", 0, false));
        assertEquals(List.of(EventType.EVENT_TYPE_NEXUS_OPERATION_SCHEDULED, EventType.EVENT_TYPE_NEXUS_OPERATION_COMPLETED),
                nexusEvents(callers, id));
        var scheduled = event(callers, id, EventType.EVENT_TYPE_NEXUS_OPERATION_SCHEDULED)
                .getNexusOperationScheduledEventAttributes();
        assertEquals(ENDPOINT, scheduled.getEndpoint());
        assertEquals(ENDPOINT_ID, scheduled.getEndpointId());
        assertEquals("hello", scheduled.getOperation());
        assertFalse(scheduled.getRequestId().isEmpty());
        assertEquals(scheduled.getRequestId(), event(callers, id, EventType.EVENT_TYPE_NEXUS_OPERATION_COMPLETED)
                .getNexusOperationCompletedEventAttributes().getRequestId());
    }

    /**
     * A reset to a point after an operation ended replays it from history (the new run completes again and replays);
     * a reset to a point where an operation is still under way is refused, naming it, as for a pending child.
     */
    @Test
    void aResetAfterAnOperationEndedWorksAndOneWhileItIsPendingIsRefused() {
        String id = "reset-" + SUFFIX;
        assertEquals("Hello, Rex", call(callers, id, "hello", "Rex", 0, false));
        List<HistoryEvent> events = callers.client.fetchHistory(id).getHistory().getEventsList();
        long afterResult = events.stream().filter(e -> e.getEventType() == EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED)
                .reduce((first, second) -> second).orElseThrow().getEventId();
        var execution = io.temporal.api.common.v1.WorkflowExecution.newBuilder().setWorkflowId(id).build();
        var request = io.temporal.api.workflowservice.v1.ResetWorkflowExecutionRequest.newBuilder()
                .setNamespace(CALLER).setWorkflowExecution(execution).setReason("test")
                .setRequestId(UUID.randomUUID().toString()).setWorkflowTaskFinishEventId(afterResult).build();
        String newRun = callers.service.blockingStub().resetWorkflowExecution(request).getRunId();
        assertEquals("Hello, Rex", callers.client.newUntypedWorkflowStub(id, java.util.Optional.of(newRun),
                java.util.Optional.empty()).getResult(String.class));

        // A workflow-run operation's caller completes a workflow task between the operation's start and its end.
        String async = "reset-async-" + SUFFIX;
        assertEquals("Hello later, rex-" + SUFFIX, call(callers, async, "greetLater", "rex-" + SUFFIX, 0, false));
        List<HistoryEvent> asyncEvents = callers.client.fetchHistory(async).getHistory().getEventsList();
        long started = event(callers, async, EventType.EVENT_TYPE_NEXUS_OPERATION_STARTED).getEventId();
        long whilePending = asyncEvents.stream().filter(e -> e.getEventId() > started
                && e.getEventType() == EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED).findFirst().orElseThrow().getEventId();
        var refused = org.junit.jupiter.api.Assertions.assertThrows(io.grpc.StatusRuntimeException.class,
                () -> callers.service.blockingStub().resetWorkflowExecution(request.toBuilder()
                        .setWorkflowExecution(io.temporal.api.common.v1.WorkflowExecution.newBuilder().setWorkflowId(async))
                        .setRequestId(UUID.randomUUID().toString()).setWorkflowTaskFinishEventId(whilePending)
                        .build()));
        assertEquals(io.grpc.Status.Code.INVALID_ARGUMENT, refused.getStatus().getCode());
        assertTrue(refused.getStatus().getDescription().contains("the Nexus operation scheduled by event")
                && refused.getStatus().getDescription().contains("is still pending at that point"),
                refused.getStatus().getDescription());
    }

    @Test
    void aWorkflowRunOperationStartsAndCompletesThroughItsWorkflowsCallback() {
        String id = "async-" + SUFFIX;
        assertEquals("Hello later, bo-" + SUFFIX, call(callers, id, "greetLater", "bo-" + SUFFIX, 0, false));
        assertEquals(List.of(EventType.EVENT_TYPE_NEXUS_OPERATION_SCHEDULED, EventType.EVENT_TYPE_NEXUS_OPERATION_STARTED,
                EventType.EVENT_TYPE_NEXUS_OPERATION_COMPLETED), nexusEvents(callers, id));
        var started = event(callers, id, EventType.EVENT_TYPE_NEXUS_OPERATION_STARTED);
        assertFalse(started.getNexusOperationStartedEventAttributes().getOperationToken().isEmpty());
        // The handler's workflow runs in the handler's namespace, as the SDK started it.
        var handlerRun = handlers.client.newUntypedWorkflowStub("greet-bo-" + SUFFIX);
        assertEquals("Hello later, bo-" + SUFFIX, handlerRun.getResult(String.class));
        // Its started event records the caller as Temporal does: the completion callback, and the link back.
        HistoryEvent handlerStarted = handlers.client.fetchHistory("greet-bo-" + SUFFIX).getHistory().getEvents(0);
        var callbacks = handlerStarted.getWorkflowExecutionStartedEventAttributes().getCompletionCallbacksList();
        assertEquals(1, callbacks.size());
        assertEquals("temporal://system", callbacks.get(0).getNexus().getUrl());
        assertEquals(id, handlerStarted.getLinks(0).getWorkflowEvent().getWorkflowId());
        assertEquals(1, started.getLinksCount(), "the caller's started event links to the handler's workflow");
    }

    /**
     * Two callers whose operations start the same handler workflow (USE_EXISTING, as Temporal's guides show for
     * deduplicated work): the second start attaches its completion callback to the running workflow, and both
     * callers complete with its result.
     */
    @Test
    void twoCallersOfOneSharedWorkflowBothComplete() throws Exception {
        String name = "shared-" + SUFFIX;
        CallerWorkflow first = callers.client.newWorkflowStub(CallerWorkflow.class, WorkflowOptions.newBuilder()
                .setWorkflowId("shared-first-" + SUFFIX).setTaskQueue(CALLER_QUEUE).build());
        CallerWorkflow second = callers.client.newWorkflowStub(CallerWorkflow.class, WorkflowOptions.newBuilder()
                .setWorkflowId("shared-second-" + SUFFIX).setTaskQueue(CALLER_QUEUE).build());
        var one = WorkflowClient.execute(first::call, ENDPOINT, "shared", name, 0L, false);
        pendingOperation("shared-first-" + SUFFIX);
        var two = WorkflowClient.execute(second::call, ENDPOINT, "shared", name, 0L, false);
        assertEquals("Hello later, " + name, one.get(1, java.util.concurrent.TimeUnit.MINUTES));
        assertEquals("Hello later, " + name, two.get(1, java.util.concurrent.TimeUnit.MINUTES));
        assertEquals(1, handlers.client.fetchHistory("greet-" + name).getEvents().stream()
                .filter(e -> e.getEventType() == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED).count());
    }

    @Test
    void handlerErrorsAndFailedOperationsFailTheOperation() {
        assertEquals("failure: HandlerException: handler error: no greeting for Cy",
                call(callers, "refused-" + SUFFIX, "refuse", "Cy", 0, false));
        assertEquals(List.of(EventType.EVENT_TYPE_NEXUS_OPERATION_SCHEDULED, EventType.EVENT_TYPE_NEXUS_OPERATION_FAILED),
                nexusEvents(callers, "refused-" + SUFFIX));
        assertEquals("failure: ApplicationFailure: cannot greet Di",
                call(callers, "failed-" + SUFFIX, "fail", "Di", 0, false));
        String failing = "fail-" + SUFFIX;
        assertEquals("failure: ApplicationFailure: no greeting today for " + failing,
                call(callers, "failed-later-" + SUFFIX, "failLater", failing, 0, false));
        var failed = event(callers, "failed-later-" + SUFFIX, EventType.EVENT_TYPE_NEXUS_OPERATION_FAILED)
                .getNexusOperationFailedEventAttributes().getFailure();
        assertEquals("nexus operation completed unsuccessfully", failed.getMessage());
        assertEquals(ENDPOINT, failed.getNexusOperationExecutionFailureInfo().getEndpoint());
    }

    @Test
    void aRetryableHandlerErrorIsRetriedAfterABackoffWithoutAnEvent() {
        String id = "flaky-" + SUFFIX;
        assertEquals("At last, Flo", call(callers, id, "flaky", "Flo", 0, false));
        assertEquals(2, FLAKY_REQUESTS.get());
        assertEquals(List.of(EventType.EVENT_TYPE_NEXUS_OPERATION_SCHEDULED, EventType.EVENT_TYPE_NEXUS_OPERATION_COMPLETED),
                nexusEvents(callers, id));
        var events = callers.client.fetchHistory(id).getHistory().getEventsList();
        var scheduled = event(callers, id, EventType.EVENT_TYPE_NEXUS_OPERATION_SCHEDULED);
        var completed = event(callers, id, EventType.EVENT_TYPE_NEXUS_OPERATION_COMPLETED);
        long waited = com.google.protobuf.util.Timestamps.between(scheduled.getEventTime(), completed.getEventTime())
                .getSeconds();
        assertTrue(waited >= 1, "the second request waited out Temporal's first backoff (1 s): " + events);
    }

    @Test
    void cancellingAStartedOperationCancelsItsWorkflow() {
        String id = "cancel-" + SUFFIX;
        String result = call(callers, id, "waitForever", "forever-cancel-" + SUFFIX, 0, true);
        assertTrue(result.startsWith("failure: CanceledFailure"), result);
        List<EventType> events = nexusEvents(callers, id);
        assertTrue(events.containsAll(List.of(EventType.EVENT_TYPE_NEXUS_OPERATION_CANCEL_REQUESTED,
                EventType.EVENT_TYPE_NEXUS_OPERATION_CANCEL_REQUEST_COMPLETED,
                EventType.EVENT_TYPE_NEXUS_OPERATION_CANCELED)), events.toString());
        assertEquals(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_CANCELED,
                handlers.client.fetchHistory("greet-forever-cancel-" + SUFFIX).getLastEvent().getEventType()
                        == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED
                        ? WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_CANCELED
                        : WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING);
    }

    @Test
    void aTerminatedHandlerWorkflowFailsTheOperation() throws Exception {
        String id = "terminated-" + SUFFIX;
        CallerWorkflow workflow = callers.client.newWorkflowStub(CallerWorkflow.class, WorkflowOptions.newBuilder()
                .setWorkflowId(id).setTaskQueue(CALLER_QUEUE).build());
        var running = WorkflowClient.execute(workflow::call, ENDPOINT, "waitForever", "forever-terminated-" + SUFFIX,
                0L, false);
        pendingOperation(id);
        handlers.client.newUntypedWorkflowStub("greet-forever-terminated-" + SUFFIX).terminate("enough");
        assertEquals("failure: TerminatedFailure: operation terminated",
                running.get(1, java.util.concurrent.TimeUnit.MINUTES));
        assertTrue(nexusEvents(callers, id).contains(EventType.EVENT_TYPE_NEXUS_OPERATION_FAILED));
    }

    /** Cancelling the caller cancels its operation (the SDK's default cancellation type waits for it to end). */
    @Test
    void cancellingTheCallerWorkflowCancelsItsOperation() throws Exception {
        String id = "caller-canceled-" + SUFFIX;
        CallerWorkflow workflow = callers.client.newWorkflowStub(CallerWorkflow.class, WorkflowOptions.newBuilder()
                .setWorkflowId(id).setTaskQueue(CALLER_QUEUE).build());
        var running = WorkflowClient.execute(workflow::call, ENDPOINT, "waitForever", "forever-caller-canceled-" + SUFFIX,
                0L, false);
        pendingOperation(id);
        WorkflowStub.fromTyped(workflow).cancel();
        var ended = org.junit.jupiter.api.Assertions.assertThrows(java.util.concurrent.ExecutionException.class,
                () -> running.get(1, java.util.concurrent.TimeUnit.MINUTES));
        assertTrue(ended.getCause().getCause() instanceof io.temporal.failure.CanceledFailure, ended.toString());
        assertEquals(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED, handlers.client
                .fetchHistory("greet-forever-caller-canceled-" + SUFFIX).getLastEvent().getEventType());
        assertTrue(nexusEvents(callers, id).containsAll(List.of(EventType.EVENT_TYPE_NEXUS_OPERATION_CANCEL_REQUESTED,
                EventType.EVENT_TYPE_NEXUS_OPERATION_CANCELED)));
    }

    /**
     * The SDK's cancellation types: ABANDON sends no cancel request and leaves the handler's workflow running;
     * TRY_CANCEL records the request and unblocks the caller without waiting for it; WAIT_REQUESTED unblocks the
     * caller once the handler accepted the request (WAIT_COMPLETED, the default, is the test above). Whether the
     * operation's own Canceled event makes it into the caller's history before the caller ends is a race on
     * Temporal too, so it is not asserted.
     */
    @Test
    void eachCancellationTypeEndsTheCallersWaitWhenItSays() {
        String abandoned = cancelWith(NexusOperationCancellationType.ABANDON);
        assertFalse(nexusEvents(callers, "abandon-" + SUFFIX).contains(EventType.EVENT_TYPE_NEXUS_OPERATION_CANCEL_REQUESTED));
        assertEquals(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING, handlers.client
                .newUntypedWorkflowStub("greet-forever-abandon-" + SUFFIX).describe().getStatus(),
                "abandoned: the handler's workflow never hears of it");
        handlers.client.newUntypedWorkflowStub("greet-forever-abandon-" + SUFFIX).terminate("test done");

        String tried = cancelWith(NexusOperationCancellationType.TRY_CANCEL);
        List<EventType> tryEvents = nexusEvents(callers, "try_cancel-" + SUFFIX);
        assertTrue(tryEvents.contains(EventType.EVENT_TYPE_NEXUS_OPERATION_CANCEL_REQUESTED), tryEvents.toString());

        String requested = cancelWith(NexusOperationCancellationType.WAIT_REQUESTED);
        List<EventType> waitEvents = nexusEvents(callers, "wait_requested-" + SUFFIX);
        assertTrue(waitEvents.contains(EventType.EVENT_TYPE_NEXUS_OPERATION_CANCEL_REQUEST_COMPLETED), waitEvents.toString());

        for (String outcome : List.of(abandoned, tried, requested)) {
            assertTrue(outcome.contains("CanceledFailure"), outcome);
        }
    }

    private static String cancelWith(NexusOperationCancellationType type) {
        String id = type.name().toLowerCase() + "-" + SUFFIX;
        return callers.client.newWorkflowStub(CancellingCallerWorkflow.class, WorkflowOptions.newBuilder()
                .setWorkflowId(id).setTaskQueue(CALLER_QUEUE).setWorkflowExecutionTimeout(Duration.ofMinutes(1)).build())
                .cancelWith(ENDPOINT, "forever-" + id, type);
    }

    @Test
    void anOperationPastItsScheduleToCloseTimeoutTimesOut() throws Exception {
        String id = "timeout-" + SUFFIX;
        CallerWorkflow workflow = callers.client.newWorkflowStub(CallerWorkflow.class, WorkflowOptions.newBuilder()
                .setWorkflowId(id).setTaskQueue(CALLER_QUEUE).build());
        var running = WorkflowClient.execute(workflow::call, ENDPOINT, "waitForever", "forever-timeout-" + SUFFIX,
                3_000L, false);
        // While it runs, describe shows the operation pending: started, with its token and timeout.
        var pending = pendingOperation(id);
        assertEquals(io.temporal.api.enums.v1.PendingNexusOperationState.PENDING_NEXUS_OPERATION_STATE_STARTED,
                pending.getState());
        assertFalse(pending.getOperationToken().isEmpty());
        assertEquals(com.google.protobuf.util.Durations.fromSeconds(3), pending.getScheduleToCloseTimeout());
        assertEquals(ENDPOINT, pending.getEndpoint());
        String result = running.get(1, java.util.concurrent.TimeUnit.MINUTES);
        assertTrue(result.startsWith("failure: TimeoutFailure"), result);
        assertTrue(nexusEvents(callers, id).contains(EventType.EVENT_TYPE_NEXUS_OPERATION_TIMED_OUT));
        handlers.client.newUntypedWorkflowStub("greet-forever-timeout-" + SUFFIX).terminate("test done");
    }

    @Test
    void onlyTheEndpointsAllowedCallersMayCallIt() throws InterruptedException {
        int served = HELLOS.get();
        WorkflowStub refused = refusedCall("outsider-" + SUFFIX, ENDPOINT);
        assertEquals("caller namespace \"" + OUTSIDER + "\" unauthorized for \"" + ENDPOINT + "\"",
                workflowTaskFailure(outsiders, "outsider-" + SUFFIX).getFailure().getMessage());
        refused.terminate("test done");
        WorkflowStub unknown = refusedCall("unknown-" + SUFFIX, "nobody_" + SUFFIX);
        assertEquals("endpoint \"nobody_" + SUFFIX + "\" not found",
                workflowTaskFailure(outsiders, "unknown-" + SUFFIX).getFailure().getMessage());
        unknown.terminate("test done");
        assertEquals(served, HELLOS.get(), "the handler saw no refused call");

        // Listed, then taken off the list: new calls are refused at once.
        provisionEndpoint(List.of(CALLER, OUTSIDER));
        try {
            assertEquals("Hello, Eve", call(outsiders, "listed-" + SUFFIX, "hello", "Eve", 0, false));
        } finally {
            provisionEndpoint(List.of(CALLER));
        }
        WorkflowStub delisted = refusedCall("delisted-" + SUFFIX, ENDPOINT);
        assertEquals("caller namespace \"" + OUTSIDER + "\" unauthorized for \"" + ENDPOINT + "\"",
                workflowTaskFailure(outsiders, "delisted-" + SUFFIX).getFailure().getMessage());
        delisted.terminate("test done");
    }

    private static io.temporal.api.workflow.v1.PendingNexusOperationInfo pendingOperation(String workflowId)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            var described = callers.service.blockingStub().describeWorkflowExecution(
                    io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest.newBuilder().setNamespace(CALLER)
                            .setExecution(io.temporal.api.common.v1.WorkflowExecution.newBuilder()
                                    .setWorkflowId(workflowId)).build());
            if (described.getPendingNexusOperationsCount() == 1 && described.getPendingNexusOperations(0).getState()
                    == io.temporal.api.enums.v1.PendingNexusOperationState.PENDING_NEXUS_OPERATION_STATE_STARTED) {
                return described.getPendingNexusOperations(0);
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no started operation described for " + workflowId);
    }

    /** Starts a call from the outsider namespace; its workflow task keeps failing, so it does not end by itself. */
    private static WorkflowStub refusedCall(String workflowId, String endpoint) {
        WorkflowStub stub = outsiders.client.newUntypedWorkflowStub("CallerWorkflow", WorkflowOptions.newBuilder()
                .setWorkflowId(workflowId).setTaskQueue(CALLER_QUEUE).build());
        stub.start(endpoint, "hello", "Mallory", 0L, false);
        return stub;
    }

    private static io.temporal.api.history.v1.WorkflowTaskFailedEventAttributes workflowTaskFailure(
            SdkHarness harness, String workflowId) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            var failed = harness.client.fetchHistory(workflowId).getHistory().getEventsList().stream()
                    .filter(e -> e.getEventType() == EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED).findFirst();
            if (failed.isPresent()) {
                var attributes = failed.get().getWorkflowTaskFailedEventAttributes();
                assertEquals(WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_BAD_SCHEDULE_NEXUS_OPERATION_ATTRIBUTES,
                        attributes.getCause());
                return attributes;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no workflow task failed for " + workflowId);
    }
}
