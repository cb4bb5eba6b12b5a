package dev.aeon.dataplane.sdk;

import dev.aeon.dataplane.TestTenant;
import io.quarkus.test.junit.QuarkusTest;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityCancellationType;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityOptions;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.ActivityCompletionClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.RetryOptions;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.TimeoutFailure;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.workflow.Async;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Activity retries, timeouts, heartbeats, cancellation and async completion, through the real Java SDK. */
@QuarkusTest
class ActivityBehaviourTest {

    static final String TASK_QUEUE = "activity-behaviour";

    @WorkflowInterface
    public interface Scenario {
        @WorkflowMethod
        String run(String scenario);
    }

    @ActivityInterface
    public interface Steps {
        String flaky(String key);

        String nonRetryable();

        String slow();

        String resumable(String key);

        String cancellable();

        String asyncById(String key);

        String asyncByToken(String key);
    }

    public static class ScenarioImpl implements Scenario {

        private static Steps steps(ActivityOptions.Builder options) {
            return Workflow.newActivityStub(Steps.class, options.build());
        }

        private static RetryOptions fastRetries(int attempts) {
            return RetryOptions.newBuilder().setInitialInterval(Duration.ofMillis(100)).setBackoffCoefficient(1)
                    .setMaximumAttempts(attempts).build();
        }

        @Override
        public String run(String scenario) {
            ActivityOptions.Builder base = ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofSeconds(10));
            try {
                switch (scenario) {
                    case "retry":
                        return steps(base.setRetryOptions(fastRetries(5))).flaky(Workflow.getInfo().getWorkflowId());
                    case "non-retryable":
                        return steps(base.setRetryOptions(fastRetries(5))).nonRetryable();
                    case "start-to-close":
                        return steps(base.setStartToCloseTimeout(Duration.ofSeconds(1)).setRetryOptions(fastRetries(2)))
                                .slow();
                    case "heartbeat-timeout":
                        return steps(base.setHeartbeatTimeout(Duration.ofSeconds(1)).setRetryOptions(fastRetries(1)))
                                .slow();
                    case "heartbeat-details":
                        return steps(base.setHeartbeatTimeout(Duration.ofSeconds(5)).setRetryOptions(fastRetries(3)))
                                .resumable(Workflow.getInfo().getWorkflowId());
                    case "cancel": {
                        Steps cancellable = steps(base.setHeartbeatTimeout(Duration.ofSeconds(5))
                                .setCancellationType(ActivityCancellationType.WAIT_CANCELLATION_COMPLETED)
                                .setRetryOptions(fastRetries(1)));
                        AtomicReference<Promise<String>> result = new AtomicReference<>();
                        CancellationScope scope = Workflow.newCancellationScope(
                                () -> result.set(Async.function(cancellable::cancellable)));
                        scope.run();
                        Workflow.sleep(Duration.ofMillis(1500));
                        scope.cancel();
                        return result.get().get();
                    }
                    case "async-by-token":
                        return steps(base).asyncByToken(Workflow.getInfo().getWorkflowId());
                    case "async-by-id":
                        return steps(base).asyncById(Workflow.getInfo().getWorkflowId());
                    default:
                        throw ApplicationFailure.newNonRetryableFailure("unknown scenario " + scenario, "Bad");
                }
            } catch (ActivityFailure failure) {
                Throwable cause = failure.getCause();
                if (cause instanceof TimeoutFailure timeout) {
                    return "timeout:" + timeout.getTimeoutType();
                }
                if (cause instanceof CanceledFailure) {
                    return "canceled";
                }
                return "failed:" + ((ApplicationFailure) cause).getType();
            }
        }
    }

    static final Map<String, AtomicInteger> ATTEMPTS = new ConcurrentHashMap<>();
    static final Map<String, String> RESUMED_FROM = new ConcurrentHashMap<>();
    static final Map<String, byte[]> TOKENS = new ConcurrentHashMap<>();
    static final Map<String, CountDownLatch> ASYNC_STARTED = new ConcurrentHashMap<>();

    public static class StepsImpl implements Steps {
        @Override
        public String flaky(String key) {
            int attempt = ATTEMPTS.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
            if (attempt < 3) {
                throw ApplicationFailure.newFailure("not yet", "Transient");
            }
            return "succeeded on attempt " + Activity.getExecutionContext().getInfo().getAttempt();
        }

        @Override
        public String nonRetryable() {
            throw ApplicationFailure.newNonRetryableFailure("bad input", "BadInput");
        }

        @Override
        public String slow() {
            sleep(5000);
            return "too late";
        }

        @Override
        public String resumable(String key) {
            ActivityExecutionContext context = Activity.getExecutionContext();
            String progress = context.getHeartbeatDetails(String.class).orElse("none");
            RESUMED_FROM.put(key + "#" + context.getInfo().getAttempt(), progress);
            context.heartbeat("step-1-done");
            if (context.getInfo().getAttempt() == 1) {
                sleep(1500); // let the heartbeat reach the server before failing
                throw ApplicationFailure.newFailure("crash after step 1", "Crash");
            }
            return "resumed from " + progress;
        }

        @Override
        public String cancellable() {
            ActivityExecutionContext context = Activity.getExecutionContext();
            for (int i = 0; i < 100; i++) {
                sleep(200);
                context.heartbeat(i); // throws ActivityCanceledException once cancellation is requested
            }
            return "never canceled";
        }

        @Override
        public String asyncByToken(String key) {
            ActivityExecutionContext context = Activity.getExecutionContext();
            TOKENS.put(key, context.getTaskToken());
            context.doNotCompleteOnReturn();
            ASYNC_STARTED.computeIfAbsent(key, k -> new CountDownLatch(1)).countDown();
            return null;
        }

        @Override
        public String asyncById(String key) {
            Activity.getExecutionContext().doNotCompleteOnReturn();
            ASYNC_STARTED.computeIfAbsent(key, k -> new CountDownLatch(1)).countDown();
            return null;
        }

        private static void sleep(long millis) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    static SdkHarness sdk;

    @BeforeAll
    static void startWorker() {
        sdk = SdkHarness.start(TestTenant.namespace("activities"), TASK_QUEUE, worker -> {
            worker.registerWorkflowImplementationTypes(ScenarioImpl.class);
            worker.registerActivitiesImplementations(new StepsImpl());
        });
    }

    @AfterAll
    static void stopWorker() {
        sdk.close();
    }

    private static String run(String scenario, String workflowId) {
        return sdk.client.newWorkflowStub(Scenario.class, WorkflowOptions.newBuilder().setTaskQueue(TASK_QUEUE)
                .setWorkflowId(workflowId).setWorkflowExecutionTimeout(Duration.ofSeconds(60)).build()).run(scenario);
    }

    private static List<HistoryEvent> events(String workflowId, EventType type) throws Exception {
        WorkflowExecutionHistory history = sdk.client.fetchHistory(workflowId);
        WorkflowReplayer.replayWorkflowExecution(history, ScenarioImpl.class);
        return history.getEvents().stream().filter(e -> e.getEventType() == type).toList();
    }

    @Test
    void failedAttemptsAreRetriedAndOnlyTheLastIsInHistory() throws Exception {
        String id = "retry-" + UUID.randomUUID();

        assertEquals("succeeded on attempt 3", run("retry", id));

        List<HistoryEvent> started = events(id, EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED);
        assertEquals(1, started.size());
        assertEquals(3, started.get(0).getActivityTaskStartedEventAttributes().getAttempt());
        assertEquals("not yet", started.get(0).getActivityTaskStartedEventAttributes().getLastFailure().getMessage());
    }

    @Test
    void aNonRetryableFailureEndsTheActivityAtOnce() throws Exception {
        String id = "non-retryable-" + UUID.randomUUID();

        assertEquals("failed:BadInput", run("non-retryable", id));

        assertEquals(1, events(id, EventType.EVENT_TYPE_ACTIVITY_TASK_FAILED).size());
    }

    @Test
    void startToCloseTimeoutRetriesThenTimesOut() throws Exception {
        String id = "stc-" + UUID.randomUUID();

        assertEquals("timeout:TIMEOUT_TYPE_START_TO_CLOSE", run("start-to-close", id));

        HistoryEvent timedOut = events(id, EventType.EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT).get(0);
        assertEquals(2, events(id, EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED).get(0)
                .getActivityTaskStartedEventAttributes().getAttempt());
        assertTrue(timedOut.getActivityTaskTimedOutEventAttributes().getFailure().hasTimeoutFailureInfo());
        // As in Temporal, the final timeout carries the previous attempt's failure as its cause.
        var cause = timedOut.getActivityTaskTimedOutEventAttributes().getFailure().getCause();
        assertEquals(io.temporal.api.enums.v1.TimeoutType.TIMEOUT_TYPE_START_TO_CLOSE,
                cause.getTimeoutFailureInfo().getTimeoutType(), "the cause is attempt 1's timeout: " + cause);
    }

    @Test
    void anActivityThatStopsHeartbeatingTimesOut() {
        assertEquals("timeout:TIMEOUT_TYPE_HEARTBEAT", run("heartbeat-timeout", "hb-timeout-" + UUID.randomUUID()));
    }

    @Test
    void heartbeatDetailsAreHandedToTheNextAttempt() {
        String id = "hb-details-" + UUID.randomUUID();

        assertEquals("resumed from step-1-done", run("heartbeat-details", id));

        assertEquals("none", RESUMED_FROM.get(id + "#1"));
        assertEquals("step-1-done", RESUMED_FROM.get(id + "#2"));
    }

    @Test
    void cancellationReachesARunningActivityThroughItsHeartbeat() throws Exception {
        String id = "cancel-" + UUID.randomUUID();

        assertEquals("canceled", run("cancel", id));

        assertEquals(1, events(id, EventType.EVENT_TYPE_ACTIVITY_TASK_CANCEL_REQUESTED).size());
        assertEquals(1, events(id, EventType.EVENT_TYPE_ACTIVITY_TASK_CANCELED).size());
    }

    @Test
    void anActivityCompletedAsynchronouslyWithItsTaskToken() throws Exception {
        String id = "async-token-" + UUID.randomUUID();
        var stub = sdk.client.newUntypedWorkflowStub("Scenario", WorkflowOptions.newBuilder().setTaskQueue(TASK_QUEUE)
                .setWorkflowId(id).build());
        stub.start("async-by-token");
        assertTrue(ASYNC_STARTED.computeIfAbsent(id, k -> new CountDownLatch(1)).await(30, TimeUnit.SECONDS));

        ActivityCompletionClient completions = sdk.client.newActivityCompletionClient();
        completions.complete(TOKENS.get(id), "completed by token");

        assertEquals("completed by token", stub.getResult(String.class));
    }

    @Test
    void anActivityCompletedAsynchronouslyByItsId() throws Exception {
        String id = "async-id-" + UUID.randomUUID();
        var stub = sdk.client.newUntypedWorkflowStub("Scenario", WorkflowOptions.newBuilder().setTaskQueue(TASK_QUEUE)
                .setWorkflowId(id).build());
        var execution = stub.start("async-by-id");
        assertTrue(ASYNC_STARTED.computeIfAbsent(id, k -> new CountDownLatch(1)).await(30, TimeUnit.SECONDS));

        var described = sdk.service.blockingStub().describeWorkflowExecution(
                io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest.newBuilder()
                        .setNamespace(TestTenant.namespace("activities")).setExecution(execution).build());
        assertEquals(1, described.getPendingActivitiesCount());
        var pending = described.getPendingActivities(0);
        assertEquals(io.temporal.api.enums.v1.PendingActivityState.PENDING_ACTIVITY_STATE_STARTED, pending.getState());
        assertEquals("AsyncById", pending.getActivityType().getName());

        sdk.client.newActivityCompletionClient().complete(id, java.util.Optional.of(execution.getRunId()),
                pending.getActivityId(), "completed by id");

        assertEquals("completed by id", stub.getResult(String.class));
    }
}
