package dev.aeon.dataplane.sdk;

import dev.aeon.dataplane.TestTenant;
import dev.aeon.dataplane.persistence.ExecutionStore;
import dev.aeon.dataplane.persistence.ExecutionStore.TaskRecord;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.junit.QuarkusTest;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.workflowservice.v1.DeleteWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.workflow.Async;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** DeleteWorkflowExecution leaves nothing behind and does what closing the run owes to others first. */
@QuarkusTest
class DeletionTest {

    static final String NAMESPACE = TestTenant.namespace("deletion");
    static final String TASK_QUEUE = "deletion";

    @WorkflowInterface
    public interface Sleeper {
        @WorkflowMethod
        void sleep(long seconds);
    }

    public static class SleeperImpl implements Sleeper {
        @Override
        public void sleep(long seconds) {
            Workflow.sleep(Duration.ofSeconds(seconds));
        }
    }

    @WorkflowInterface
    public interface Parent {
        @WorkflowMethod
        void run(String childId);
    }

    /** Starts a child that sleeps for an hour (parent close policy: terminate, the default), then sleeps too. */
    public static class ParentImpl implements Parent {
        @Override
        public void run(String childId) {
            Sleeper child = Workflow.newChildWorkflowStub(Sleeper.class,
                    ChildWorkflowOptions.newBuilder().setWorkflowId(childId).build());
            Async.procedure(child::sleep, 3600L);
            Workflow.getWorkflowExecution(child).get();
            Workflow.sleep(Duration.ofHours(1));
        }
    }

    @Inject
    ExecutionStore store;

    @ConfigProperty(name = "aeon.data-plane.history.shards", defaultValue = "16")
    int shards;

    static SdkHarness sdk;

    @BeforeAll
    static void startWorker() {
        sdk = SdkHarness.start(NAMESPACE, TASK_QUEUE,
                worker -> worker.registerWorkflowImplementationTypes(SleeperImpl.class, ParentImpl.class));
    }

    @AfterAll
    static void stopWorker() {
        sdk.close();
    }

    @Test
    void deletingARunningParentAppliesItsChildrensParentClosePolicyFirst() throws InterruptedException {
        String parentId = "parent-" + UUID.randomUUID();
        String childId = parentId + "-child";
        Parent parent = sdk.client.newWorkflowStub(Parent.class, options(parentId));
        WorkflowClient.start(parent::run, childId);
        await(() -> exists(childId) && status(childId) == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING);

        delete(parentId);

        await(() -> status(childId) == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_TERMINATED);
        await(() -> !exists(parentId));
    }

    @Test
    void aDeletedRunLeavesNoTimerRowsBehind() throws InterruptedException {
        String id = "sleeper-" + UUID.randomUUID();
        Sleeper sleeper = sdk.client.newWorkflowStub(Sleeper.class, options(id));
        String runId = WorkflowClient.start(sleeper::sleep, 2L).getRunId();
        await(() -> !rowsOf(runId).isEmpty() && sdk.client.fetchHistory(id).getEvents().size() >= 5); // timer started

        delete(id);

        // Its retention timer goes with it; its user timer fires into a run that is gone, and is dropped then.
        await(() -> rowsOf(runId).isEmpty());
        assertTrue(!exists(id));
    }

    private List<TaskRecord> rowsOf(String runId) {
        return java.util.stream.IntStream.range(0, shards).boxed()
                .flatMap(shard -> store.pendingTasks(shard).stream())
                .filter(row -> new String(row.data(), StandardCharsets.UTF_8).contains(runId))
                .toList();
    }

    private static WorkflowOptions options(String id) {
        return WorkflowOptions.newBuilder().setTaskQueue(TASK_QUEUE).setWorkflowId(id).build();
    }

    private static void delete(String id) {
        sdk.service.blockingStub().deleteWorkflowExecution(DeleteWorkflowExecutionRequest.newBuilder()
                .setNamespace(NAMESPACE).setWorkflowExecution(WorkflowExecution.newBuilder().setWorkflowId(id)).build());
    }

    private static WorkflowExecutionStatus status(String id) {
        return sdk.service.blockingStub().describeWorkflowExecution(DescribeWorkflowExecutionRequest.newBuilder()
                        .setNamespace(NAMESPACE).setExecution(WorkflowExecution.newBuilder().setWorkflowId(id)).build())
                .getWorkflowExecutionInfo().getStatus();
    }

    private static boolean exists(String id) {
        try {
            status(id);
            return true;
        } catch (StatusRuntimeException e) {
            assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode());
            return false;
        }
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 15_000;
        while (!condition.getAsBoolean()) {
            assertTrue(System.currentTimeMillis() < deadline, "condition not reached in 15 s");
            Thread.sleep(200);
        }
    }
}
