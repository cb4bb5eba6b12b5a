package dev.aeon.dataplane.sdk;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityOptions;
import io.temporal.activity.LocalActivityOptions;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.common.RetryOptions;
import io.temporal.common.SearchAttributeKey;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.ChildWorkflowFailure;
import io.temporal.worker.Worker;
import io.temporal.workflow.Async;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.ExternalWorkflowStub;
import io.temporal.workflow.Promise;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Workflows that together issue every command type Aeon supports, run the same way against Aeon and against
 * Temporal's own dev server (which records the reference histories, see {@link TemporalParityRecorder}). Each
 * scenario is sequential, so its history is the same on every run.
 */
final class ParityScenarios {

    static final String TASK_QUEUE = "parity";
    /** A keyword search attribute; the dev server must be started with {@code --search-attribute ParityKeyword=Keyword}. */
    static final SearchAttributeKey<String> KEYWORD = SearchAttributeKey.forKeyword("ParityKeyword");

    private ParityScenarios() {
    }

    @WorkflowInterface
    public interface EveryCommand {
        @WorkflowMethod
        String run(int round);
    }

    @WorkflowInterface
    public interface Child {
        @WorkflowMethod
        String work(String mode);

        @SignalMethod
        void release(String word);
    }

    @WorkflowInterface
    public interface Failing {
        @WorkflowMethod
        String run();
    }

    @ActivityInterface
    public interface Steps {
        String compose(String name);

        String flaky(String key);
    }

    public static class EveryCommandImpl implements EveryCommand {
        private final Steps steps = Workflow.newActivityStub(Steps.class, ActivityOptions.newBuilder()
                .setStartToCloseTimeout(Duration.ofSeconds(10)).build());
        private final Steps local = Workflow.newLocalActivityStub(Steps.class, LocalActivityOptions.newBuilder()
                .setStartToCloseTimeout(Duration.ofSeconds(10)).build());

        @Override
        public String run(int round) {
            if (round == 0) {
                Workflow.continueAsNew(1);
            }
            String remote = steps.compose("activity");
            String locally = local.compose("local activity");
            long side = Workflow.sideEffect(Long.class, () -> 42L);
            int version = Workflow.getVersion("parity-change", Workflow.DEFAULT_VERSION, 1);
            Workflow.sleep(Duration.ofMillis(300));
            CancellationScope timerScope = Workflow.newCancellationScope(() -> Workflow.newTimer(Duration.ofHours(1)));
            timerScope.run();
            timerScope.cancel();
            Workflow.upsertMemo(Map.of("stage", "children"));
            Workflow.upsertTypedSearchAttributes(KEYWORD.valueSet("parity"));

            String parentId = Workflow.getInfo().getWorkflowId();
            String result = Workflow.newChildWorkflowStub(Child.class,
                    ChildWorkflowOptions.newBuilder().setWorkflowId(parentId + "-done").build()).work("done");

            Child signaled = Workflow.newChildWorkflowStub(Child.class,
                    ChildWorkflowOptions.newBuilder().setWorkflowId(parentId + "-signaled").build());
            Promise<String> signaledResult = Async.function(signaled::work, "signal");
            Workflow.getWorkflowExecution(signaled).get();
            Workflow.newExternalWorkflowStub(Child.class, parentId + "-signaled").release("go");
            String fromSignal = signaledResult.get();

            Child canceled = Workflow.newChildWorkflowStub(Child.class,
                    ChildWorkflowOptions.newBuilder().setWorkflowId(parentId + "-canceled").build());
            Promise<String> canceledResult = Async.function(canceled::work, "cancel");
            Workflow.getWorkflowExecution(canceled).get();
            ExternalWorkflowStub.fromTyped(Workflow.newExternalWorkflowStub(Child.class, parentId + "-canceled")).cancel();
            String fromCancel;
            try {
                fromCancel = canceledResult.get();
            } catch (ChildWorkflowFailure e) {
                fromCancel = e.getCause().getClass().getSimpleName();
            }

            return String.join("|", remote, locally, Long.toString(side), Integer.toString(version), result,
                    fromSignal, fromCancel);
        }
    }

    public static class ChildImpl implements Child {
        private String word;

        @Override
        public String work(String mode) {
            switch (mode) {
                case "signal" -> Workflow.await(() -> word != null);
                case "cancel" -> {
                    try {
                        Workflow.await(() -> false);
                    } catch (CanceledFailure e) {
                        return "canceled";
                    }
                }
                default -> word = "done";
            }
            return word;
        }

        @Override
        public void release(String word) {
            this.word = word;
        }
    }

    public static class FailingImpl implements Failing {
        private final Steps steps = Workflow.newActivityStub(Steps.class, ActivityOptions.newBuilder()
                .setStartToCloseTimeout(Duration.ofSeconds(10))
                .setRetryOptions(RetryOptions.newBuilder().setInitialInterval(Duration.ofMillis(100)).build()).build());

        @Override
        public String run() {
            String recovered = steps.flaky(Workflow.getInfo().getWorkflowId());
            throw ApplicationFailure.newNonRetryableFailure("failed after " + recovered, "ParityFailure");
        }
    }

    public static class StepsImpl implements Steps {
        private final Map<String, AtomicInteger> attempts = new java.util.concurrent.ConcurrentHashMap<>();

        @Override
        public String compose(String name) {
            return "Hello, " + name + "!";
        }

        @Override
        public String flaky(String key) {
            if (attempts.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet() == 1) {
                throw ApplicationFailure.newFailure("first attempt fails", "Flaky");
            }
            return "recovered";
        }
    }

    static void register(Worker worker) {
        worker.registerWorkflowImplementationTypes(EveryCommandImpl.class, ChildImpl.class, FailingImpl.class);
        worker.registerActivitiesImplementations(new StepsImpl());
    }

    /** Runs every scenario to its end; the histories by name, each run of a chain under its own name. */
    static Map<String, WorkflowExecutionHistory> run(WorkflowClient client, String idPrefix) {
        Map<String, WorkflowExecutionHistory> histories = new LinkedHashMap<>();
        String id = idPrefix + "-every-command";
        EveryCommand every = client.newWorkflowStub(EveryCommand.class, options(id));
        every.run(0);
        String firstRunId = WorkflowStub.fromTyped(every).getExecution().getRunId();
        histories.put("every-command-continued", client.fetchHistory(id, firstRunId));
        histories.put("every-command", client.fetchHistory(id));
        histories.put("child-done", client.fetchHistory(id + "-done"));
        histories.put("child-signaled", client.fetchHistory(id + "-signaled"));
        histories.put("child-canceled", client.fetchHistory(id + "-canceled"));

        String failingId = idPrefix + "-failing";
        try {
            client.newWorkflowStub(Failing.class, options(failingId)).run();
            throw new AssertionError("the failing scenario completed");
        } catch (WorkflowFailedException expected) {
            histories.put("failing", client.fetchHistory(failingId));
        }
        return histories;
    }

    private static WorkflowOptions options(String workflowId) {
        return WorkflowOptions.newBuilder().setTaskQueue(TASK_QUEUE).setWorkflowId(workflowId)
                .setWorkflowExecutionTimeout(Duration.ofMinutes(5)).build();
    }
}
