package dev.aeon.dataplane.matching;

import dev.aeon.dataplane.TestPorts;
import dev.aeon.dataplane.TestTenant;
import dev.aeon.dataplane.history.engine.HistoryEngine;
import dev.aeon.dataplane.namespace.NamespaceRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.temporal.api.common.v1.WorkflowType;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.taskqueue.v1.TaskQueue;
import io.temporal.api.workflowservice.v1.PollWorkflowTaskQueueRequest;
import io.temporal.api.workflowservice.v1.PollWorkflowTaskQueueResponse;
import io.temporal.api.workflowservice.v1.StartWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.WorkflowServiceGrpc;
import io.temporal.serviceclient.WorkflowServiceStubs;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A workflow task scheduled while a worker's poll waits on its queue is started for that poll in the same
 * transition (one commit instead of two); with no poll waiting, the poll that comes later records the start in a
 * transition of its own. Either way the worker sees the same task.
 */
@QuarkusTest
class StartForWaitingPollTest {

    private static final String NAMESPACE = TestTenant.namespace("eager-start-" + UUID.randomUUID().toString().substring(0, 6));
    private static WorkflowServiceStubs service;
    private static WorkflowServiceGrpc.WorkflowServiceBlockingStub api;

    @Inject
    HistoryEngine engine;
    @Inject
    NamespaceRegistry namespaces;

    @BeforeAll
    static void connect() {
        TestTenant.provision(NAMESPACE);
        service = TestTenant.connect("127.0.0.1:" + TestPorts.FRONTEND);
        api = service.blockingStub();
    }

    @AfterAll
    static void disconnect() {
        service.shutdownNow();
    }

    private static String start(String workflowId, String queue) {
        return api.startWorkflowExecution(StartWorkflowExecutionRequest.newBuilder().setNamespace(NAMESPACE)
                .setWorkflowId(workflowId).setRequestId(UUID.randomUUID().toString())
                .setWorkflowType(WorkflowType.newBuilder().setName("Eager"))
                .setTaskQueue(TaskQueue.newBuilder().setName(queue)).build()).getRunId();
    }

    private static PollWorkflowTaskQueueResponse poll(String queue) {
        return api.pollWorkflowTaskQueue(PollWorkflowTaskQueueRequest.newBuilder().setNamespace(NAMESPACE)
                .setIdentity("eager-worker").setTaskQueue(TaskQueue.newBuilder().setName(queue)).build());
    }

    /** Commits the run has had: its mutable state's version. */
    private long transitions(String workflowId, String runId) {
        return engine.read(namespaces.namespace(NAMESPACE).id(), workflowId, runId).version();
    }

    private static List<EventType> types(PollWorkflowTaskQueueResponse task) {
        return task.getHistory().getEventsList().stream().map(HistoryEvent::getEventType).toList();
    }

    @Test
    void aTaskScheduledWhileAPollWaitsIsStartedInTheSameTransition() throws Exception {
        String queue = "eager-" + UUID.randomUUID();
        CompletableFuture<PollWorkflowTaskQueueResponse> waiting = CompletableFuture.supplyAsync(() -> poll(queue));
        Thread.sleep(500); // the poll is waiting now
        String runId = start("eager", queue);
        PollWorkflowTaskQueueResponse task = waiting.get(30, TimeUnit.SECONDS);

        assertEquals(runId, task.getWorkflowExecution().getRunId());
        assertEquals(List.of(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED, EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED,
                EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED), types(task));
        assertEquals("eager-worker", task.getHistory().getEvents(2).getWorkflowTaskStartedEventAttributes().getIdentity());
        assertEquals(3, task.getStartedEventId());
        assertEquals(1, transitions("eager", runId), "start and the task's start in one commit");
        // The SDKs take the started event's time as the workflow's clock: later than the events the task delivers,
        // as when a poll records the start in a transition of its own (the Go SDK's Nexus tests compare them).
        var started = task.getHistory().getEvents(2).getEventTime();
        var scheduled = task.getHistory().getEvents(1).getEventTime();
        assertTrue(com.google.protobuf.util.Timestamps.compare(started, scheduled) > 0,
                "started " + started + " not after scheduled " + scheduled);
    }

    @Test
    void withNoPollWaitingThePollRecordsTheStartItself() {
        String queue = "lazy-" + UUID.randomUUID();
        String runId = start("lazy", queue);
        assertEquals(1, transitions("lazy", runId));
        PollWorkflowTaskQueueResponse task = poll(queue);
        assertEquals(List.of(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED, EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED,
                EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED), types(task));
        assertEquals(2, transitions("lazy", runId));
    }
}
