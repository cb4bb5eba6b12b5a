package dev.aeon.dataplane.sdk;

import dev.aeon.dataplane.TestTenant;
import dev.aeon.dataplane.history.engine.HistoryEngine;
import dev.aeon.dataplane.matching.DispatchTask;
import dev.aeon.dataplane.matching.TaskQueues;
import dev.aeon.dataplane.persistence.CountingNamespaceStore;
import com.google.common.util.concurrent.ListenableFuture;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.junit.QuarkusTest;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.common.v1.WorkflowType;
import io.temporal.api.enums.v1.UpdateWorkflowExecutionLifecycleStage;
import io.temporal.api.query.v1.WorkflowQuery;
import io.temporal.api.taskqueue.v1.TaskQueue;
import io.temporal.api.update.v1.Input;
import io.temporal.api.update.v1.Request;
import io.temporal.api.update.v1.WaitPolicy;
import io.temporal.api.workflowservice.v1.DescribeNamespaceRequest;
import io.temporal.api.workflowservice.v1.PollActivityTaskQueueRequest;
import io.temporal.api.workflowservice.v1.PollWorkflowTaskQueueRequest;
import io.temporal.api.workflowservice.v1.QueryWorkflowRequest;
import io.temporal.api.workflowservice.v1.StartWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.UpdateWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.WorkflowServiceGrpc.WorkflowServiceBlockingStub;
import io.temporal.serviceclient.WorkflowServiceStubs;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a tenant can make the data plane hold in memory is bounded, and let go of when nobody needs it. */
@QuarkusTest
class BoundedMemoryTest {

    static final String NAMESPACE = TestTenant.namespace("bounded");

    @Inject
    TaskQueues matching;

    @Inject
    HistoryEngine engine;

    @Inject
    CountingNamespaceStore namespaceStore;

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

    private static WorkflowServiceBlockingStub stub(long seconds) {
        return service.blockingStub().withDeadlineAfter(seconds, TimeUnit.SECONDS);
    }

    @Test
    void aTaskQueueNameOverOneThousandCharactersIsRefusedNamingTheField() {
        String name = "q".repeat(1001);

        StatusRuntimeException workflow = assertThrows(StatusRuntimeException.class, () -> stub(5)
                .pollWorkflowTaskQueue(PollWorkflowTaskQueueRequest.newBuilder().setNamespace(NAMESPACE)
                        .setTaskQueue(TaskQueue.newBuilder().setName(name)).build()));
        StatusRuntimeException activity = assertThrows(StatusRuntimeException.class, () -> stub(5)
                .pollActivityTaskQueue(PollActivityTaskQueueRequest.newBuilder().setNamespace(NAMESPACE)
                        .setTaskQueue(TaskQueue.newBuilder().setName(name)).build()));

        for (StatusRuntimeException refused : new StatusRuntimeException[] {workflow, activity}) {
            assertEquals(Status.Code.INVALID_ARGUMENT, refused.getStatus().getCode());
            assertEquals("task_queue.name exceeds length limit of 1000.", refused.getStatus().getDescription());
        }
    }

    @Test
    void idleTaskQueuesAreEvicted() throws InterruptedException {
        // Asked of these queues only: other tests' workers make and drop queues of their own meanwhile.
        String namespaceId = namespaceId();
        java.util.List<String> idle = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String name = "idle-" + UUID.randomUUID();
            idle.add(name);
            try {
                stub(2).pollActivityTaskQueue(PollActivityTaskQueueRequest.newBuilder().setNamespace(NAMESPACE)
                        .setTaskQueue(TaskQueue.newBuilder().setName(name)).build());
            } catch (StatusRuntimeException deadline) {
                // an empty answer or the deadline: either way the queue was made
            }
        }
        // The last polls have just ended: their queues are still in memory.
        assertTrue(idle.stream().anyMatch(name -> matching.isLoaded(namespaceId, name, DispatchTask.Kind.ACTIVITY)));

        await(() -> idle.stream().noneMatch(name -> matching.isLoaded(namespaceId, name, DispatchTask.Kind.ACTIVITY)));
        // idle timeout in tests: 2 s
    }

    @Test
    void aQueryNoWorkerTakesExpiresFromItsQueue() throws InterruptedException {
        String queue = "unpolled-" + UUID.randomUUID();
        String workflowId = start(queue);
        String namespaceId = namespaceId();
        assertEquals(1, matching.backlog(namespaceId, queue, DispatchTask.Kind.WORKFLOW), "the first workflow task");

        StatusRuntimeException timedOut = assertThrows(StatusRuntimeException.class, () -> stub(2)
                .queryWorkflow(QueryWorkflowRequest.newBuilder().setNamespace(NAMESPACE)
                        .setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId))
                        .setQuery(WorkflowQuery.newBuilder().setQueryType("state")).build()));
        assertEquals(Status.Code.DEADLINE_EXCEEDED, timedOut.getStatus().getCode());

        await(() -> matching.backlog(namespaceId, queue, DispatchTask.Kind.WORKFLOW) == 1);
    }

    @Test
    void updatesInFlightAreCappedPerRunAndTheirWaitersLeaveWithTheirCallers() throws InterruptedException {
        String workflowId = start("unpolled-" + UUID.randomUUID());
        int waitersBefore = engine.waiterCount();
        List<ListenableFuture<?>> callers = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            callers.add(service.futureStub().withDeadlineAfter(30, TimeUnit.SECONDS)
                    .updateWorkflowExecution(update(workflowId)));
        }
        await(() -> engine.waiterCount() >= waitersBefore + 10);

        callers.forEach(caller -> caller.cancel(true));

        await(() -> engine.waiterCount() <= waitersBefore);
        StatusRuntimeException refused = assertThrows(StatusRuntimeException.class, () -> stub(5)
                .updateWorkflowExecution(update(workflowId)));
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, refused.getStatus().getCode());
        assertEquals("limit on number of concurrent in-flight updates has been reached (10)",
                refused.getStatus().getDescription());
    }

    @Test
    void aNamespaceFoundMissingIsNotLookedUpAgainForEveryCall() {
        String missing = TestTenant.namespace("missing-" + UUID.randomUUID().toString().substring(0, 8));

        for (int i = 0; i < 20; i++) {
            StatusRuntimeException notFound = assertThrows(StatusRuntimeException.class, () -> stub(5)
                    .describeNamespace(DescribeNamespaceRequest.newBuilder().setNamespace(missing).build()));
            assertEquals(Status.Code.NOT_FOUND, notFound.getStatus().getCode());
        }

        // The refresh interval in tests is 500 ms: a reload or two while the loop runs, not one per call.
        assertTrue(namespaceStore.readsOf(missing) <= 4, namespaceStore.readsOf(missing) + " reads for 20 calls");
    }

    private static UpdateWorkflowExecutionRequest update(String workflowId) {
        return UpdateWorkflowExecutionRequest.newBuilder().setNamespace(NAMESPACE)
                .setWorkflowExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId))
                .setWaitPolicy(WaitPolicy.newBuilder().setLifecycleStage(
                        UpdateWorkflowExecutionLifecycleStage.UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_ACCEPTED))
                .setRequest(Request.newBuilder().setInput(Input.newBuilder().setName("add"))).build();
    }

    private static String start(String queue) {
        String workflowId = "bounded-" + UUID.randomUUID();
        stub(5).startWorkflowExecution(StartWorkflowExecutionRequest.newBuilder().setNamespace(NAMESPACE)
                .setWorkflowId(workflowId).setRequestId(UUID.randomUUID().toString())
                .setWorkflowType(WorkflowType.newBuilder().setName("NobodyRunsThis"))
                .setTaskQueue(TaskQueue.newBuilder().setName(queue)).build());
        return workflowId;
    }

    private static String namespaceId() {
        return stub(5).describeNamespace(DescribeNamespaceRequest.newBuilder().setNamespace(NAMESPACE).build())
                .getNamespaceInfo().getId();
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 15_000;
        while (!condition.getAsBoolean()) {
            assertTrue(System.currentTimeMillis() < deadline, "condition not reached in 15 s");
            Thread.sleep(200);
        }
    }
}
