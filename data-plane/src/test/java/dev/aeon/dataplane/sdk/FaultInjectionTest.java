package dev.aeon.dataplane.sdk;

import dev.aeon.dataplane.history.engine.HistoryConfig;
import dev.aeon.dataplane.history.engine.Shards;
import dev.aeon.dataplane.namespace.NamespaceRegistry;
import dev.aeon.dataplane.persistence.ExecutionStore.TaskKind;
import dev.aeon.dataplane.persistence.ExecutionStore.Transition;
import dev.aeon.dataplane.persistence.FaultyExecutionStore;
import dev.aeon.dataplane.persistence.FaultyExecutionStore.Fault;
import dev.aeon.dataplane.sdk.HelloActivityTest.Greeting;
import io.quarkus.test.junit.QuarkusTest;
import io.temporal.api.enums.v1.EventType;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Transient store failures on the way from a task's row to a worker: the real SDK's workflow still completes, with
 * no restart of the data plane. The store fails one commit as a driver timeout would; everything else is real.
 */
@QuarkusTest
class FaultInjectionTest {

    static final String TASK_QUEUE = "faults";

    @Inject
    FaultyExecutionStore store;

    @Inject
    NamespaceRegistry namespaces;

    @Inject
    HistoryConfig config;

    @Inject
    dev.aeon.dataplane.history.workflowtask.WorkflowTasks workflowTasks;

    static SdkHarness sdk;

    @BeforeAll
    static void startWorker() {
        sdk = SdkHarness.start(HelloActivityTest.NAMESPACE, TASK_QUEUE, worker -> {
            worker.registerWorkflowImplementationTypes(HelloActivityTest.GreetingImpl.class);
            worker.registerActivitiesImplementations(new HelloActivityTest.GreeterImpl());
        });
    }

    @AfterAll
    static void stopWorker() {
        sdk.close();
    }

    @AfterEach
    void disarm() {
        store.disarm();
    }

    @Test
    void aWorkflowTaskWhoseStartFailsOnceStillReachesAWorker() throws Exception {
        String workflowId = "faults-" + UUID.randomUUID();
        // A poll's own start transition: the one a task queued before any poll waited goes through.
        workflowTasks.startForWaitingPolls(false);
        try {
            store.failNextCommit(nth(1, consumesATransferTask(workflowId)), Fault.BEFORE_WRITING);
            assertEquals("Hello, faults!", run(workflowId));
            assertTrue(store.struck());
        } finally {
            workflowTasks.startForWaitingPolls(true);
        }
    }

    @Test
    void anActivityTaskWhoseStartFailsOnceStillReachesAWorker() throws Exception {
        String workflowId = "faults-" + UUID.randomUUID();
        workflowTasks.startForWaitingPolls(false);
        try {
            // The run's second consumed task is its activity's (the first is its first workflow task).
            store.failNextCommit(nth(2, consumesATransferTask(workflowId)), Fault.BEFORE_WRITING);
            assertEquals("Hello, faults!", run(workflowId));
            assertTrue(store.struck());
        } finally {
            workflowTasks.startForWaitingPolls(true);
        }
    }

    /**
     * The workflow's start, with its first task started for the worker's waiting poll, fails before writing: the
     * poll is given back, the client's retried start commits, and the task reaches the worker.
     */
    @Test
    void aStartThatWouldHandItsTaskToAWaitingPollFailsOnceAndTheTaskStillReachesAWorker() throws Exception {
        String workflowId = "faults-" + UUID.randomUUID();
        store.failNextCommit(t -> t.workflowId().equals(workflowId) && t.expectedVersion() == 0, Fault.BEFORE_WRITING);

        assertEquals("Hello, faults!", run(workflowId));
        assertTrue(store.struck());
    }

    @Test
    void aTaskCommittedByATransitionReportedAsFailedIsFoundByReconciliation() throws Exception {
        String workflowId = "faults-" + UUID.randomUUID();
        // The workflow task's completion schedules the activity; its commit applies but the caller sees a timeout,
        // so nothing hands the activity's task to matching after the commit.
        store.failNextCommit(t -> t.workflowId().equals(workflowId) && t.expectedVersion() > 0
                && t.newTasks().stream().anyMatch(task -> task.kind() == TaskKind.TRANSFER), Fault.AFTER_APPLYING);

        assertEquals("Hello, faults!", run(workflowId));
        assertTrue(store.struck());
    }

    @Test
    void aGroupCommitThatTimesOutAfterApplyingLosesNothingAndAppliesNothingTwice() throws Exception {
        groupCommitFault(Fault.AFTER_APPLYING);
    }

    @Test
    void aGroupCommitThatTimesOutBeforeWritingIsRetried() throws Exception {
        groupCommitFault(Fault.BEFORE_WRITING);
    }

    /**
     * Workflows of one shard started at once commit in groups; one group's commit times out. Every member's caller
     * sees the timeout (the write is in doubt), each run is reloaded settled, and every workflow still completes
     * once, with a history that replays.
     */
    private void groupCommitFault(Fault fault) throws Exception {
        String namespaceId = namespaces.namespace(HelloActivityTest.NAMESPACE).id();
        String prefix = "faults-group-" + UUID.randomUUID() + "-";
        List<String> workflowIds = new ArrayList<>();
        for (int i = 0; workflowIds.size() < 24; i++) {
            if (Shards.shardOf(namespaceId, prefix + i, config.shards()) == 0) {
                workflowIds.add(prefix + i);
            }
        }
        store.failNextGroupCommit(2, t -> t.workflowId().startsWith(prefix), fault);

        ExecutorService starters = Executors.newFixedThreadPool(workflowIds.size());
        try {
            List<Future<String>> results = new ArrayList<>();
            for (String workflowId : workflowIds) {
                results.add(starters.submit(() -> run(workflowId)));
            }
            for (Future<String> result : results) {
                assertEquals("Hello, faults!", result.get(60, TimeUnit.SECONDS));
            }
        } finally {
            starters.shutdownNow();
        }
        assertTrue(store.struck(), "no group of two or more transitions formed on the shard");
        assertTrue(store.lastStruckGroupSize() >= 2);
        for (String workflowId : workflowIds) {
            // Applied once: one activity, one close (the harness replays every history when it closes).
            var events = sdk.client.fetchHistory(workflowId).getHistory().getEventsList();
            assertEquals(1, events.stream().filter(e -> e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED)
                    .count(), workflowId);
            assertEquals(1, events.stream().filter(e -> e.getEventType() == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED)
                    .count(), workflowId);
        }
    }

    private static String run(String workflowId) throws Exception {
        Greeting greeting = sdk.client.newWorkflowStub(Greeting.class, WorkflowOptions.newBuilder()
                .setTaskQueue(TASK_QUEUE).setWorkflowId(workflowId).build());
        WorkflowClient.start(greeting::greet, "faults");
        return WorkflowStub.fromTyped(greeting).getResult(30, TimeUnit.SECONDS, String.class);
    }

    private static Predicate<Transition> consumesATransferTask(String workflowId) {
        return t -> t.workflowId().equals(workflowId)
                && t.completedTasks().stream().anyMatch(task -> task.kind() == TaskKind.TRANSFER);
    }

    private static Predicate<Transition> nth(int n, Predicate<Transition> matches) {
        AtomicInteger seen = new AtomicInteger();
        return t -> matches.test(t) && seen.incrementAndGet() == n;
    }
}
