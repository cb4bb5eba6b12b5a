package dev.aeon.dataplane.sdk;

import dev.aeon.dataplane.TestTenant;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.junit.QuarkusTest;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityOptions;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionResponse;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.TerminatedFailure;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.Promise;
import io.temporal.workflow.QueryMethod;
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
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Timers, signals, queries, side effects, versions, cancellation and termination through the real Java SDK. */
@QuarkusTest
public class WorkflowBehaviourTest {

    static final String NAMESPACE = TestTenant.namespace("workflows");
    static final String TASK_QUEUE = "workflow-behaviour";

    @WorkflowInterface
    public interface Inbox {
        /** Collects signals until "done" arrives or the deadline passes; answers what it got. */
        @WorkflowMethod
        List<String> collect(int deadlineSeconds);

        @SignalMethod
        void add(String item);

        @QueryMethod
        List<String> items();

        @QueryMethod
        String filler(int length);
    }

    public static class InboxImpl implements Inbox {
        private final List<String> items = new ArrayList<>();

        @Override
        public List<String> collect(int deadlineSeconds) {
            boolean done = Workflow.await(Duration.ofSeconds(deadlineSeconds), () -> items.contains("done"));
            if (!done) {
                items.add("timed-out");
            }
            return items;
        }

        @Override
        public void add(String item) {
            items.add(item);
        }

        @Override
        public List<String> items() {
            return items;
        }

        @Override
        public String filler(int length) {
            return "x".repeat(length);
        }
    }

    @WorkflowInterface
    public interface Timers {
        @WorkflowMethod
        String run();
    }

    public static class TimersImpl implements Timers {
        @Override
        public String run() {
            List<Promise<Void>> longTimer = new ArrayList<>();
            CancellationScope scope = Workflow.newCancellationScope(() -> longTimer.add(Workflow.newTimer(Duration.ofHours(1))));
            scope.run();
            long start = Workflow.currentTimeMillis();
            Workflow.sleep(Duration.ofSeconds(1));
            long slept = Workflow.currentTimeMillis() - start;
            scope.cancel(); // in a later workflow task than the one that started it, so the server cancels it
            String canceled;
            try {
                longTimer.get(0).get();
                canceled = "fired";
            } catch (CanceledFailure e) {
                canceled = "canceled";
            }
            int random = Workflow.sideEffect(Integer.class, () -> 42);
            int version = Workflow.getVersion("new-greeting", Workflow.DEFAULT_VERSION, 1);
            return (slept >= 1000 ? "slept" : "woke early " + slept) + "," + canceled + "," + random + ",v" + version;
        }
    }

    @ActivityInterface
    public interface Cleanup {
        String release(String what);
    }

    public static class CleanupImpl implements Cleanup {
        @Override
        public String release(String what) {
            return "released " + what;
        }
    }

    @WorkflowInterface
    public interface Reservation {
        @WorkflowMethod
        String hold();

        @QueryMethod
        String status();
    }

    public static class ReservationImpl implements Reservation {
        private String status = "holding";

        @Override
        public String hold() {
            try {
                Workflow.sleep(Duration.ofHours(1));
                return "expired";
            } catch (CanceledFailure canceled) {
                // Cleanup runs in a detached scope: the workflow's own scope is canceled.
                Workflow.newDetachedCancellationScope(() -> status = Workflow.newActivityStub(Cleanup.class,
                        ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofSeconds(10)).build())
                        .release("seat")).run();
                throw canceled;
            }
        }

        @Override
        public String status() {
            return status;
        }
    }

    @WorkflowInterface
    public interface Flaky {
        @WorkflowMethod
        String run();
    }

    static final java.util.Map<String, java.util.concurrent.atomic.AtomicInteger> EXECUTIONS =
            new java.util.concurrent.ConcurrentHashMap<>();

    public static class FlakyImpl implements Flaky {
        @Override
        public String run() {
            String id = Workflow.getInfo().getWorkflowId();
            if (EXECUTIONS.computeIfAbsent(id, k -> new java.util.concurrent.atomic.AtomicInteger()).incrementAndGet() == 1) {
                throw new IllegalStateException("a bug in the first deployment");
            }
            return "recovered";
        }
    }

    static SdkHarness sdk;

    @BeforeAll
    static void startWorker() {
        sdk = SdkHarness.start(NAMESPACE, TASK_QUEUE, worker -> {
            worker.registerWorkflowImplementationTypes(InboxImpl.class, TimersImpl.class, ReservationImpl.class,
                    FlakyImpl.class);
            worker.registerActivitiesImplementations(new CleanupImpl());
        });
    }

    @AfterAll
    static void stopWorker() {
        sdk.close();
    }

    private static WorkflowOptions options(String id) {
        return WorkflowOptions.newBuilder().setTaskQueue(TASK_QUEUE).setWorkflowId(id)
                .setWorkflowExecutionTimeout(Duration.ofMinutes(2)).build();
    }

    private static WorkflowExecutionHistory replay(String workflowId, Class<?> implementation) throws Exception {
        WorkflowExecutionHistory history = sdk.client.fetchHistory(workflowId);
        WorkflowReplayer.replayWorkflowExecution(history, implementation);
        return history;
    }

    private static DescribeWorkflowExecutionResponse describe(String workflowId) {
        return sdk.service.blockingStub().describeWorkflowExecution(DescribeWorkflowExecutionRequest.newBuilder()
                .setNamespace(NAMESPACE).setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId)).build());
    }

    @Test
    void signalsAreDeliveredAndQueriesAnswerWhileRunningAndAfterClose() throws Exception {
        String id = "inbox-" + UUID.randomUUID();
        Inbox inbox = sdk.client.newWorkflowStub(Inbox.class, options(id));
        WorkflowClient.start(inbox::collect, 60);

        inbox.add("a");
        inbox.add("b");
        awaitUntil(() -> inbox.items().size() == 2);
        assertEquals(List.of("a", "b"), inbox.items());
        inbox.add("done");

        assertEquals(List.of("a", "b", "done"), WorkflowStub.fromTyped(inbox).getResult(List.class));
        assertEquals(List.of("a", "b", "done"), inbox.items(), "a closed workflow still answers queries");
        var rejected = sdk.service.blockingStub().queryWorkflow(io.temporal.api.workflowservice.v1.QueryWorkflowRequest
                .newBuilder().setNamespace(NAMESPACE).setExecution(WorkflowExecution.newBuilder().setWorkflowId(id))
                .setQuery(io.temporal.api.query.v1.WorkflowQuery.newBuilder().setQueryType("items"))
                .setQueryRejectCondition(io.temporal.api.enums.v1.QueryRejectCondition.QUERY_REJECT_CONDITION_NOT_OPEN)
                .build());
        assertEquals(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED,
                rejected.getQueryRejected().getStatus(), "NOT_OPEN rejects queries on a closed run");
        WorkflowExecutionHistory history = replay(id, InboxImpl.class);
        assertEquals(3, history.getEvents().stream()
                .filter(e -> e.getEventType() == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED).count());
    }

    @Test
    void aQueryAnswerOverTheBlobLimitFailsTheQueryAsTemporalDoes() {
        String id = "large-answer-" + UUID.randomUUID();
        Inbox inbox = sdk.client.newWorkflowStub(Inbox.class, options(id));
        WorkflowClient.start(inbox::collect, 60);
        assertEquals(10, inbox.filler(10).length());

        io.temporal.client.WorkflowQueryException failed = assertThrows(io.temporal.client.WorkflowQueryException.class,
                () -> inbox.filler(3_000_000));

        assertTrue(String.valueOf(failed.getCause()).contains("Blob data size exceeds limit."),
                String.valueOf(failed.getCause()));
        inbox.add("done");
        WorkflowStub.fromTyped(inbox).getResult(List.class);
    }

    @Test
    void aSignalRacingATimerIsNeitherLostNorDuplicated() throws Exception {
        for (int round = 0; round < 3; round++) {
            String id = "race-" + round + "-" + UUID.randomUUID();
            Inbox inbox = sdk.client.newWorkflowStub(Inbox.class, options(id));
            WorkflowClient.start(inbox::collect, 1);
            Thread.sleep(900 + round * 50L);
            boolean delivered;
            try {
                inbox.add("done");
                delivered = true;
            } catch (io.temporal.client.WorkflowNotFoundException | StatusRuntimeException closed) {
                delivered = false;
            }
            @SuppressWarnings("unchecked")
            List<String> result = WorkflowStub.fromTyped(inbox).getResult(List.class);
            WorkflowExecutionHistory history = replay(id, InboxImpl.class);
            long signaled = history.getEvents().stream()
                    .filter(e -> e.getEventType() == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED).count();
            assertEquals(delivered ? 1 : 0, signaled, "an accepted signal is in history exactly once: " + result);
            assertTrue(result.equals(List.of("done")) || result.contains("timed-out"), result.toString());
        }
    }

    @Test
    void timersFireAndCancelAndSideEffectsAndVersionsAreRecorded() throws Exception {
        String id = "timers-" + UUID.randomUUID();

        assertEquals("slept,canceled,42,v1", sdk.client.newWorkflowStub(Timers.class, options(id)).run());

        List<EventType> types = replay(id, TimersImpl.class).getEvents().stream().map(HistoryEvent::getEventType).toList();
        assertTrue(types.contains(EventType.EVENT_TYPE_TIMER_FIRED));
        assertTrue(types.contains(EventType.EVENT_TYPE_TIMER_CANCELED));
        assertEquals(2, types.stream().filter(t -> t == EventType.EVENT_TYPE_MARKER_RECORDED).count(),
                "one marker for the side effect, one for the version");
    }

    @Test
    void cancellationRunsTheWorkflowsCleanup() throws Exception {
        String id = "reservation-" + UUID.randomUUID();
        Reservation reservation = sdk.client.newWorkflowStub(Reservation.class, options(id));
        WorkflowClient.start(reservation::hold);
        awaitUntil(() -> describe(id).getWorkflowExecutionInfo().getHistoryLength() >= 5);

        WorkflowStub.fromTyped(reservation).cancel();

        WorkflowFailedException failed = assertThrows(WorkflowFailedException.class,
                () -> WorkflowStub.fromTyped(reservation).getResult(String.class));
        assertInstanceOf(CanceledFailure.class, failed.getCause());
        assertEquals("released seat", reservation.status());
        assertEquals(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_CANCELED,
                describe(id).getWorkflowExecutionInfo().getStatus());
        replay(id, ReservationImpl.class);
    }

    @Test
    void terminationEndsTheRunAndDescribeReportsIt() throws Exception {
        String id = "terminate-" + UUID.randomUUID();
        Reservation reservation = sdk.client.newWorkflowStub(Reservation.class, WorkflowOptions.newBuilder(options(id))
                .setMemo(java.util.Map.of("owner", "ops")).build());
        WorkflowClient.start(reservation::hold);
        assertEquals(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING,
                describe(id).getWorkflowExecutionInfo().getStatus());

        WorkflowStub.fromTyped(reservation).terminate("operator says so");

        WorkflowFailedException failed = assertThrows(WorkflowFailedException.class,
                () -> WorkflowStub.fromTyped(reservation).getResult(String.class));
        assertInstanceOf(TerminatedFailure.class, failed.getCause());
        DescribeWorkflowExecutionResponse described = describe(id);
        assertEquals(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_TERMINATED,
                described.getWorkflowExecutionInfo().getStatus());
        assertTrue(described.getWorkflowExecutionInfo().hasCloseTime());
        assertTrue(described.getWorkflowExecutionInfo().getMemo().containsFields("owner"));
    }

    @Test
    void aFailedWorkflowTaskIsRetriedUntilTheWorkerGetsItRight() throws Exception {
        String id = "flaky-" + UUID.randomUUID();

        assertEquals("recovered", sdk.client.newWorkflowStub(Flaky.class, options(id)).run());

        List<HistoryEvent> events = replay(id, FlakyImpl.class).getEvents();
        HistoryEvent failed = events.stream().filter(e -> e.getEventType() == EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED)
                .findFirst().orElseThrow();
        assertEquals(io.temporal.api.enums.v1.WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_WORKFLOW_WORKER_UNHANDLED_FAILURE,
                failed.getWorkflowTaskFailedEventAttributes().getCause());
        assertTrue(failed.getWorkflowTaskFailedEventAttributes().getFailure().toString().contains("first deployment"),
                failed.getWorkflowTaskFailedEventAttributes().getFailure().toString());
        assertEquals(2, events.stream().filter(e -> e.getEventType() == EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED)
                .reduce((a, b) -> b).orElseThrow().getWorkflowTaskScheduledEventAttributes().getAttempt());
    }

    @Test
    void startingARunningWorkflowIdAgainIsRefusedWithItsRunId() {
        String id = "duplicate-" + UUID.randomUUID();
        Reservation first = sdk.client.newWorkflowStub(Reservation.class, options(id));
        WorkflowExecution running = WorkflowClient.start(first::hold);

        Reservation second = sdk.client.newWorkflowStub(Reservation.class, options(id));
        WorkflowExecutionAlreadyStarted refused = assertThrows(WorkflowExecutionAlreadyStarted.class,
                () -> WorkflowClient.start(second::hold));

        assertEquals(running.getRunId(), refused.getExecution().getRunId());
        WorkflowStub.fromTyped(first).terminate("done");
    }

    private static void awaitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 30 s");
            }
            Thread.sleep(50);
        }
    }
}
