package dev.aeon.dataplane.sdk;

import dev.aeon.dataplane.TestTenant;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.junit.QuarkusTest;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.ResetReapplyType;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.enums.v1.WorkflowTaskFailedCause;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.ResetWorkflowExecutionRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ResetWorkflowExecution through the real Java SDK: a new run from a workflow task, signals re-applied. */
@QuarkusTest
class ResetWorkflowTest {

    static final String NAMESPACE = TestTenant.namespace("resets");
    static final String TASK_QUEUE = "workflow-resets";

    @WorkflowInterface
    public interface Collector {
        @WorkflowMethod
        String collect(int count);

        @SignalMethod
        void add(String item);
    }

    public static class CollectorImpl implements Collector {
        private final List<String> items = new ArrayList<>();

        @Override
        public String collect(int count) {
            Workflow.await(() -> items.size() >= count);
            Workflow.sleep(Duration.ofMillis(10)); // a timer, so the reset run rebuilds one too
            return String.join(",", items);
        }

        @Override
        public void add(String item) {
            items.add(item);
        }
    }

    @io.temporal.activity.ActivityInterface
    public interface Slow {
        String echo(String value);
    }

    public static class SlowImpl implements Slow {
        @Override
        public String echo(String value) {
            try {
                Thread.sleep(1500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return value;
        }
    }

    @WorkflowInterface
    public interface Patient {
        @WorkflowMethod
        String await();

        @SignalMethod
        void poke(String value);
    }

    /** Has an activity and a timer pending when it is poked, so a reset after the poke must rebuild both. */
    public static class PatientImpl implements Patient {
        private String poked;

        @Override
        public String await() {
            Slow slow = Workflow.newActivityStub(Slow.class, io.temporal.activity.ActivityOptions.newBuilder()
                    .setStartToCloseTimeout(Duration.ofSeconds(10)).build());
            io.temporal.workflow.Promise<String> echoed = io.temporal.workflow.Async.function(slow::echo, "activity");
            io.temporal.workflow.Promise<Void> timer = Workflow.newTimer(Duration.ofSeconds(1));
            Workflow.await(() -> poked != null);
            timer.get();
            return echoed.get() + "+" + poked;
        }

        @Override
        public void poke(String value) {
            poked = value;
        }
    }

    @WorkflowInterface
    public interface Tally {
        @WorkflowMethod
        int count();

        @io.temporal.workflow.UpdateMethod
        int add();

        @SignalMethod
        void finish();
    }

    public static class TallyImpl implements Tally {
        private int updates;
        private boolean finished;

        @Override
        public int count() {
            Workflow.await(() -> finished);
            return updates;
        }

        @Override
        public int add() {
            return ++updates;
        }

        @Override
        public void finish() {
            finished = true;
        }
    }

    static SdkHarness sdk;

    @BeforeAll
    static void startWorker() {
        sdk = SdkHarness.start(NAMESPACE, TASK_QUEUE,
                worker -> {
                    worker.registerWorkflowImplementationTypes(CollectorImpl.class, PatientImpl.class, TallyImpl.class);
                    worker.registerActivitiesImplementations(new SlowImpl());
                });
    }

    @AfterAll
    static void stopWorker() {
        sdk.close();
    }

    @Test
    void aRunningWorkflowResetToItsFirstTaskGetsItsSignalsAgain() throws Exception {
        String id = "reset-running-" + UUID.randomUUID();
        Collector collector = start(id);
        WorkflowExecution base = WorkflowClient.start(collector::collect, 3);
        collector.add("a");
        collector.add("b");
        awaitEvents(id, base.getRunId(), EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED, 2);

        String resetRunId = reset(base, 4, ResetReapplyType.RESET_REAPPLY_TYPE_UNSPECIFIED);
        assertNotEquals(base.getRunId(), resetRunId);
        sdk.client.newWorkflowStub(Collector.class, id).add("c");
        assertEquals("a,b,c", sdk.client.newUntypedWorkflowStub(id).getResult(String.class));

        List<HistoryEvent> baseHistory = history(id, base.getRunId()).getEvents();
        HistoryEvent terminated = baseHistory.get(baseHistory.size() - 1);
        assertEquals(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED, terminated.getEventType());
        assertEquals("testing reset", terminated.getWorkflowExecutionTerminatedEventAttributes().getReason());

        WorkflowExecutionHistory resetHistory = history(id, resetRunId);
        List<HistoryEvent> events = resetHistory.getEvents();
        assertEquals(baseHistory.subList(0, 3).stream().map(HistoryEvent::getEventType).toList(),
                events.subList(0, 3).stream().map(HistoryEvent::getEventType).toList(), "the base run's first task, copied");
        assertEquals(baseHistory.get(0).getWorkflowExecutionStartedEventAttributes(),
                events.get(0).getWorkflowExecutionStartedEventAttributes(),
                "the started event is the base run's: original and first execution run ids unchanged");
        HistoryEvent failed = events.get(3);
        assertEquals(WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_RESET_WORKFLOW,
                failed.getWorkflowTaskFailedEventAttributes().getCause());
        assertEquals(base.getRunId(), failed.getWorkflowTaskFailedEventAttributes().getBaseRunId());
        assertEquals(resetRunId, failed.getWorkflowTaskFailedEventAttributes().getNewRunId());
        assertEquals("testing reset", failed.getWorkflowTaskFailedEventAttributes().getFailure().getMessage());
        assertEquals(List.of(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED,
                EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED, EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED),
                events.subList(4, 7).stream().map(HistoryEvent::getEventType).toList(), "signals re-applied, then a task");
        WorkflowReplayer.replayWorkflowExecution(resetHistory, CollectorImpl.class);

        var described = sdk.service.blockingStub().describeWorkflowExecution(DescribeWorkflowExecutionRequest.newBuilder()
                .setNamespace(NAMESPACE).setExecution(WorkflowExecution.newBuilder().setWorkflowId(id)
                        .setRunId(resetRunId)).build()).getWorkflowExecutionInfo();
        assertEquals(base.getRunId(), described.getFirstRunId());
        assertEquals(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED, described.getStatus());
    }

    @Test
    void aCompletedWorkflowResetRunsAgainToTheSameResult() throws Exception {
        String id = "reset-completed-" + UUID.randomUUID();
        Collector collector = start(id);
        WorkflowExecution base = WorkflowClient.start(collector::collect, 2);
        collector.add("x");
        collector.add("y");
        assertEquals("x,y", WorkflowStub.fromTyped(collector).getResult(String.class));
        int baseEvents = history(id, base.getRunId()).getEvents().size();

        String resetRunId = reset(base, 4, ResetReapplyType.RESET_REAPPLY_TYPE_SIGNAL);
        assertEquals("x,y", sdk.client.newUntypedWorkflowStub(id, Optional.of(resetRunId), Optional.empty())
                .getResult(String.class));
        assertEquals(baseEvents, history(id, base.getRunId()).getEvents().size(), "a closed base run is left as it was");
        WorkflowReplayer.replayWorkflowExecution(history(id, resetRunId), CollectorImpl.class);

        String again = sdk.service.blockingStub().resetWorkflowExecution(request(base, 4,
                ResetReapplyType.RESET_REAPPLY_TYPE_SIGNAL).setRequestId("reset-once-" + id).build()).getRunId();
        assertEquals(again, sdk.service.blockingStub().resetWorkflowExecution(request(base, 4,
                ResetReapplyType.RESET_REAPPLY_TYPE_SIGNAL).setRequestId("reset-once-" + id).build()).getRunId(),
                "a repeated request id answers the run it made");
    }

    @Test
    void pendingActivitiesAndTimersAreRebuiltAndRunAgain() throws Exception {
        String id = "reset-pending-" + UUID.randomUUID();
        Patient patient = sdk.client.newWorkflowStub(Patient.class, WorkflowOptions.newBuilder()
                .setTaskQueue(TASK_QUEUE).setWorkflowId(id).build());
        WorkflowExecution base = WorkflowClient.start(patient::await);
        patient.poke("p");
        awaitEvents(id, base.getRunId(), EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED, 2);
        List<HistoryEvent> before = history(id, base.getRunId()).getEvents();
        long afterPoke = before.stream().filter(e -> e.getEventType() == EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED)
                .skip(1).findFirst().orElseThrow().getEventId();
        assertTrue(before.stream().noneMatch(e -> e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED
                || e.getEventType() == EventType.EVENT_TYPE_TIMER_FIRED), "activity and timer still pending: " + before);

        String resetRunId = reset(base, afterPoke, ResetReapplyType.RESET_REAPPLY_TYPE_UNSPECIFIED);
        assertEquals("activity+p", sdk.client.newUntypedWorkflowStub(id, Optional.of(resetRunId), Optional.empty())
                .getResult(String.class));
        List<EventType> types = history(id, resetRunId).getEvents().stream().map(HistoryEvent::getEventType).toList();
        assertTrue(types.contains(EventType.EVENT_TYPE_TIMER_FIRED) && types.contains(EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED),
                types.toString());
        WorkflowReplayer.replayWorkflowExecution(history(id, resetRunId), PatientImpl.class);
    }

    @Test
    void aResetPointMustBeAWorkflowTaskOfThatRun() {
        String id = "reset-invalid-" + UUID.randomUUID();
        Collector collector = start(id);
        WorkflowExecution base = WorkflowClient.start(collector::collect, 5);
        collector.add("p");
        awaitEvents(id, base.getRunId(), EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED, 1);
        for (long eventId : new long[] {0, 1, 5, 1000}) {
            StatusRuntimeException error = assertThrows(StatusRuntimeException.class, () -> sdk.service.blockingStub()
                    .resetWorkflowExecution(request(base, eventId, ResetReapplyType.RESET_REAPPLY_TYPE_SIGNAL).build()));
            assertEquals(Status.Code.INVALID_ARGUMENT, error.getStatus().getCode());
            assertTrue(error.getStatus().getDescription().contains("workflow_task_finish_event_id"),
                    error.getStatus().getDescription());
        }

        String resetRunId = reset(base, 3, ResetReapplyType.RESET_REAPPLY_TYPE_NONE);
        List<EventType> types = history(id, resetRunId).getEvents().stream().map(HistoryEvent::getEventType).toList();
        assertEquals(List.of(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED, EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED,
                EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED, EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED,
                EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED), types.subList(0, 5),
                "reset to a started event: the server starts and fails that task; no signal is re-applied");
        sdk.client.newUntypedWorkflowStub(id).terminate("done");
    }

    @Test
    void aResetReappliesTheBaseRunsUpdatesAsAdmittedEvents() {
        // As Temporal (RESET_REAPPLY_TYPE_ALL_ELIGIBLE, the default): an update the base run accepted after the
        // reset point comes back in the reset run as an UpdateAdmitted event, and the workflow runs it again.
        String id = "reset-updates-" + UUID.randomUUID();
        Tally tally = sdk.client.newWorkflowStub(Tally.class, WorkflowOptions.newBuilder().setTaskQueue(TASK_QUEUE)
                .setWorkflowId(id).build());
        WorkflowExecution base = WorkflowClient.start(tally::count);
        assertEquals(1, tally.add());
        assertEquals(2, tally.add());
        tally.finish();
        assertEquals(2, WorkflowStub.fromTyped(tally).getResult(Integer.class));

        String resetRunId = sdk.service.blockingStub().resetWorkflowExecution(
                request(base, 4, ResetReapplyType.RESET_REAPPLY_TYPE_ALL_ELIGIBLE)
                        .addResetReapplyExcludeTypes(io.temporal.api.enums.v1.ResetReapplyExcludeType.RESET_REAPPLY_EXCLUDE_TYPE_SIGNAL)
                        .build()).getRunId();
        Tally reset = sdk.client.newWorkflowStub(Tally.class, id);
        assertEquals(3, reset.add(), "the two reapplied updates ran first");
        reset.finish();
        assertEquals(3, sdk.client.newUntypedWorkflowStub(id).getResult(Integer.class));

        List<HistoryEvent> events = history(id, resetRunId).getEvents();
        assertEquals(List.of(EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED,
                        EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ADMITTED,
                        EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ADMITTED, EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED),
                events.subList(3, 7).stream().map(HistoryEvent::getEventType).toList(), "updates reapplied, no signal");
        assertEquals(io.temporal.api.enums.v1.UpdateAdmittedEventOrigin.UPDATE_ADMITTED_EVENT_ORIGIN_REAPPLY,
                events.get(4).getWorkflowExecutionUpdateAdmittedEventAttributes().getOrigin());
        events.stream().filter(HistoryEvent::hasWorkflowExecutionUpdateAcceptedEventAttributes).limit(2)
                .forEach(accepted -> assertTrue(!accepted.getWorkflowExecutionUpdateAcceptedEventAttributes()
                        .hasAcceptedRequest(), "its request is in the admitted event, not repeated"));
    }

    private static Collector start(String id) {
        return sdk.client.newWorkflowStub(Collector.class, WorkflowOptions.newBuilder().setTaskQueue(TASK_QUEUE)
                .setWorkflowId(id).build());
    }

    private static ResetWorkflowExecutionRequest.Builder request(WorkflowExecution base, long eventId,
                                                                  ResetReapplyType reapply) {
        return ResetWorkflowExecutionRequest.newBuilder().setNamespace(NAMESPACE).setWorkflowExecution(base)
                .setWorkflowTaskFinishEventId(eventId).setReason("testing reset")
                .setRequestId(UUID.randomUUID().toString()).setResetReapplyType(reapply);
    }

    private static String reset(WorkflowExecution base, long eventId, ResetReapplyType reapply) {
        return sdk.service.blockingStub().resetWorkflowExecution(request(base, eventId, reapply).build()).getRunId();
    }

    private static WorkflowExecutionHistory history(String id, String runId) {
        return sdk.client.fetchHistory(id, runId);
    }

    private static void awaitEvents(String id, String runId, EventType type, int count) {
        long deadline = System.currentTimeMillis() + 10_000;
        while (history(id, runId).getEvents().stream().filter(e -> e.getEventType() == type).count() < count) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("history of " + id + " never had " + count + " " + type);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
