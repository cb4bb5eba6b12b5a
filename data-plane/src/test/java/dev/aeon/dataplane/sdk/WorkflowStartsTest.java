package dev.aeon.dataplane.sdk;

import dev.aeon.dataplane.TestTenant;
import io.quarkus.test.junit.QuarkusTest;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.enums.v1.WorkflowIdConflictPolicy;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.BatchRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
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
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Continue-as-new chains, id reuse and conflict policies, signal-with-start and start delay, via the Java SDK. */
@QuarkusTest
class WorkflowStartsTest {

    static final String NAMESPACE = TestTenant.namespace("starts");
    static final String TASK_QUEUE = "workflow-starts";

    @WorkflowInterface
    public interface Counter {
        @WorkflowMethod
        int count(int from, int to);
    }

    public static class CounterImpl implements Counter {
        @Override
        public int count(int from, int to) {
            if (from >= to) {
                return from;
            }
            Workflow.sleep(Duration.ofMillis(50));
            Workflow.continueAsNew(from + 1, to);
            return -1;
        }
    }

    @WorkflowInterface
    public interface Mailbox {
        @WorkflowMethod
        List<String> open(int wanted);

        @SignalMethod
        void post(String letter);
    }

    public static class MailboxImpl implements Mailbox {
        private final List<String> letters = new ArrayList<>();

        @Override
        public List<String> open(int wanted) {
            Workflow.await(() -> letters.size() >= wanted);
            return letters;
        }

        @Override
        public void post(String letter) {
            letters.add(letter);
        }
    }

    @WorkflowInterface
    public interface Flaky {
        @WorkflowMethod
        int run();
    }

    public static class FlakyImpl implements Flaky {
        @Override
        public int run() {
            int attempt = Workflow.getInfo().getAttempt();
            if (attempt < 3) {
                throw io.temporal.failure.ApplicationFailure.newFailure("attempt " + attempt + " fails", "Flaky");
            }
            return attempt;
        }
    }

    @WorkflowInterface
    public interface Tick {
        @WorkflowMethod
        int tick();
    }

    public static class TickImpl implements Tick {
        @Override
        public int tick() {
            return Workflow.getLastCompletionResult(Integer.class) == null ? 1
                    : Workflow.getLastCompletionResult(Integer.class) + 1;
        }
    }

    static SdkHarness sdk;

    @BeforeAll
    static void startWorker() {
        sdk = SdkHarness.start(NAMESPACE, TASK_QUEUE, worker ->
                worker.registerWorkflowImplementationTypes(CounterImpl.class, MailboxImpl.class, FlakyImpl.class,
                        TickImpl.class));
    }

    @AfterAll
    static void stopWorker() {
        sdk.close();
    }

    private static WorkflowOptions.Builder options(String id) {
        return WorkflowOptions.newBuilder().setTaskQueue(TASK_QUEUE).setWorkflowId(id)
                .setWorkflowExecutionTimeout(Duration.ofMinutes(2));
    }

    @Test
    void aCounterContinuingAsNewIsFollowedToItsFinalResult() throws Exception {
        String id = "counter-" + UUID.randomUUID();
        Counter counter = sdk.client.newWorkflowStub(Counter.class, options(id).build());
        var first = WorkflowClient.start(counter::count, 0, 4);

        assertEquals(4, WorkflowStub.fromTyped(counter).getResult(Integer.class));

        WorkflowExecutionHistory firstRun = sdk.client.fetchHistory(id, first.getRunId());
        HistoryEvent last = firstRun.getLastEvent();
        assertEquals(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW, last.getEventType());
        String secondRunId = last.getWorkflowExecutionContinuedAsNewEventAttributes().getNewExecutionRunId();
        WorkflowExecutionHistory secondRun = sdk.client.fetchHistory(id, secondRunId);
        var started = secondRun.getEvents().get(0).getWorkflowExecutionStartedEventAttributes();
        assertEquals(first.getRunId(), started.getContinuedExecutionRunId());
        assertEquals(first.getRunId(), started.getFirstExecutionRunId());
        WorkflowReplayer.replayWorkflowExecution(firstRun, CounterImpl.class);
        WorkflowReplayer.replayWorkflowExecution(secondRun, CounterImpl.class);
        var described = sdk.service.blockingStub().describeWorkflowExecution(
                io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest.newBuilder().setNamespace(NAMESPACE)
                        .setExecution(first).build());
        assertEquals(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_CONTINUED_AS_NEW,
                described.getWorkflowExecutionInfo().getStatus());
    }

    @Test
    void signalWithStartStartsANewRunOrSignalsTheRunningOne() {
        String id = "mailbox-" + UUID.randomUUID();
        Mailbox mailbox = sdk.client.newWorkflowStub(Mailbox.class, options(id).build());
        BatchRequest first = sdk.client.newSignalWithStartRequest();
        first.add(mailbox::open, 2);
        first.add(mailbox::post, "first");
        var started = sdk.client.signalWithStart(first);

        Mailbox again = sdk.client.newWorkflowStub(Mailbox.class, options(id).build());
        BatchRequest second = sdk.client.newSignalWithStartRequest();
        second.add(again::open, 2);
        second.add(again::post, "second");
        var signaled = sdk.client.signalWithStart(second);

        assertEquals(started.getRunId(), signaled.getRunId(), "the running run was signaled, not replaced");
        assertEquals(List.of("first", "second"), WorkflowStub.fromTyped(mailbox).getResult(List.class));
        List<EventType> firstEvents = sdk.client.fetchHistory(id).getEvents().stream().limit(3)
                .map(HistoryEvent::getEventType).toList();
        assertEquals(List.of(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED,
                EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED, EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED),
                firstEvents);
    }

    @Test
    void signalWithStartRefusesTheFailConflictPolicyBeforeStartingAnything() {
        String id = "refused-" + UUID.randomUUID();
        var request = io.temporal.api.workflowservice.v1.SignalWithStartWorkflowExecutionRequest.newBuilder()
                .setNamespace(NAMESPACE).setWorkflowId(id).setSignalName("post").setRequestId(UUID.randomUUID().toString())
                .setWorkflowType(io.temporal.api.common.v1.WorkflowType.newBuilder().setName("Mailbox"))
                .setTaskQueue(io.temporal.api.taskqueue.v1.TaskQueue.newBuilder().setName(TASK_QUEUE))
                .setWorkflowIdConflictPolicy(WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_FAIL).build();

        io.grpc.StatusRuntimeException refused = assertThrows(io.grpc.StatusRuntimeException.class,
                () -> sdk.service.blockingStub().signalWithStartWorkflowExecution(request));

        assertEquals(io.grpc.Status.Code.INVALID_ARGUMENT, refused.getStatus().getCode());
        assertTrue(refused.getStatus().getDescription().contains("WORKFLOW_ID_CONFLICT_POLICY_FAIL"),
                refused.getStatus().getDescription());
        io.grpc.StatusRuntimeException none = assertThrows(io.grpc.StatusRuntimeException.class,
                () -> sdk.service.blockingStub().describeWorkflowExecution(
                        io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest.newBuilder()
                                .setNamespace(NAMESPACE).setExecution(io.temporal.api.common.v1.WorkflowExecution
                                        .newBuilder().setWorkflowId(id)).build()));
        assertEquals(io.grpc.Status.Code.NOT_FOUND, none.getStatus().getCode());
    }

    @Test
    void idReusePoliciesDecideWhetherAClosedIdStartsAgain() {
        String id = "reuse-" + UUID.randomUUID();
        Mailbox mailbox = sdk.client.newWorkflowStub(Mailbox.class, options(id).build());
        WorkflowClient.start(mailbox::open, 1);
        mailbox.post("x");
        WorkflowStub.fromTyped(mailbox).getResult(List.class); // closed, successfully

        Mailbox rejected = sdk.client.newWorkflowStub(Mailbox.class, options(id)
                .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE).build());
        assertThrows(WorkflowExecutionAlreadyStarted.class, () -> WorkflowClient.start(rejected::open, 1));
        Mailbox failedOnly = sdk.client.newWorkflowStub(Mailbox.class, options(id)
                .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE_FAILED_ONLY)
                .build());
        assertThrows(WorkflowExecutionAlreadyStarted.class, () -> WorkflowClient.start(failedOnly::open, 1));

        Mailbox allowed = sdk.client.newWorkflowStub(Mailbox.class, options(id)
                .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE).build());
        var second = WorkflowClient.start(allowed::open, 1);
        WorkflowStub.fromTyped(allowed).terminate("second run ends");

        Mailbox afterFailure = sdk.client.newWorkflowStub(Mailbox.class, options(id)
                .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE_FAILED_ONLY)
                .build());
        var third = WorkflowClient.start(afterFailure::open, 1);
        assertNotEquals(second.getRunId(), third.getRunId(), "a terminated run counts as failed");
        WorkflowStub.fromTyped(afterFailure).terminate("done");
    }

    @Test
    void conflictPoliciesDecideWhatHappensToARunningRun() {
        String id = "conflict-" + UUID.randomUUID();
        Mailbox mailbox = sdk.client.newWorkflowStub(Mailbox.class, options(id).build());
        var running = WorkflowClient.start(mailbox::open, 1);

        Mailbox useExisting = sdk.client.newWorkflowStub(Mailbox.class, options(id)
                .setWorkflowIdConflictPolicy(WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING).build());
        assertEquals(running.getRunId(), WorkflowClient.start(useExisting::open, 1).getRunId());

        Mailbox replace = sdk.client.newWorkflowStub(Mailbox.class, options(id)
                .setWorkflowIdConflictPolicy(WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_TERMINATE_EXISTING)
                .build());
        var replacement = WorkflowClient.start(replace::open, 1);

        assertNotEquals(running.getRunId(), replacement.getRunId());
        assertEquals(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED,
                sdk.client.fetchHistory(id, running.getRunId()).getLastEvent().getEventType());
        replace.post("for the replacement");
        assertEquals(List.of("for the replacement"), WorkflowStub.fromTyped(replace).getResult(List.class));
    }

    @Test
    void aStartDelayHoldsTheFirstWorkflowTaskBack() {
        String id = "delayed-" + UUID.randomUUID();
        Counter counter = sdk.client.newWorkflowStub(Counter.class, options(id).setStartDelay(Duration.ofSeconds(2)).build());
        long before = System.currentTimeMillis();
        WorkflowClient.start(counter::count, 3, 3);

        assertEquals(3, WorkflowStub.fromTyped(counter).getResult(Integer.class));

        assertTrue(System.currentTimeMillis() - before >= 2000, "the first workflow task waited for the delay");
        var started = sdk.client.fetchHistory(id).getEvents().get(0).getWorkflowExecutionStartedEventAttributes();
        assertEquals(2, started.getFirstWorkflowTaskBackoff().getSeconds());
        assertFalse(started.hasContinuedFailure());
    }

    @Test
    void aFailedRunIsRetriedAsANewRunByItsRetryPolicy() throws Exception {
        String id = "retried-" + UUID.randomUUID();
        Flaky flaky = sdk.client.newWorkflowStub(Flaky.class, options(id).setRetryOptions(
                io.temporal.common.RetryOptions.newBuilder().setInitialInterval(Duration.ofMillis(100))
                        .setBackoffCoefficient(1).setMaximumAttempts(3).build()).build());
        var first = WorkflowClient.start(flaky::run);

        assertEquals(3, WorkflowStub.fromTyped(flaky).getResult(Integer.class));

        var failed = sdk.client.fetchHistory(id, first.getRunId()).getLastEvent();
        assertEquals(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_FAILED, failed.getEventType());
        assertEquals(io.temporal.api.enums.v1.RetryState.RETRY_STATE_IN_PROGRESS,
                failed.getWorkflowExecutionFailedEventAttributes().getRetryState());
        String second = failed.getWorkflowExecutionFailedEventAttributes().getNewExecutionRunId();
        var secondStarted = sdk.client.fetchHistory(id, second).getEvents().get(0).getWorkflowExecutionStartedEventAttributes();
        assertEquals(2, secondStarted.getAttempt());
        assertEquals(io.temporal.api.enums.v1.ContinueAsNewInitiator.CONTINUE_AS_NEW_INITIATOR_RETRY,
                secondStarted.getInitiator());
        assertEquals("attempt 1 fails", secondStarted.getContinuedFailure().getMessage());
    }

    @Test
    void aCronWorkflowRunsOnItsScheduleCarryingTheLastResult() throws Exception {
        String id = "cron-" + UUID.randomUUID();
        Tick tick = sdk.client.newWorkflowStub(Tick.class, options(id).setCronSchedule("@every 2s").build());
        var first = WorkflowClient.start(tick::tick);

        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
        String secondRunId = "";
        while (secondRunId.isEmpty() && System.nanoTime() < deadline) {
            var last = sdk.client.fetchHistory(id, first.getRunId()).getLastEvent();
            if (last.getEventType() == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED) {
                secondRunId = last.getWorkflowExecutionCompletedEventAttributes().getNewExecutionRunId();
            }
            Thread.sleep(200);
        }
        assertFalse(secondRunId.isEmpty(), "the first cron run completed and named its successor");
        String second = secondRunId;
        while (sdk.client.fetchHistory(id, second).getLastEvent().getEventType()
                != EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }

        var secondHistory = sdk.client.fetchHistory(id, second);
        var started = secondHistory.getEvents().get(0).getWorkflowExecutionStartedEventAttributes();
        assertEquals(io.temporal.api.enums.v1.ContinueAsNewInitiator.CONTINUE_AS_NEW_INITIATOR_CRON_SCHEDULE,
                started.getInitiator());
        assertTrue(started.getFirstWorkflowTaskBackoff().getSeconds() <= 2);
        var result = secondHistory.getLastEvent().getWorkflowExecutionCompletedEventAttributes().getResult();
        assertEquals("2", result.getPayloads(0).getData().toStringUtf8(), "the second run saw the first run's result");
        sdk.client.newUntypedWorkflowStub(id).terminate("enough ticks");
    }
}
