package dev.aeon.dataplane.sdk;

import dev.aeon.dataplane.TestTenant;
import io.quarkus.test.junit.QuarkusTest;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.ParentClosePolicy;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.client.WorkflowOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.ChildWorkflowFailure;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.workflow.Async;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.ExternalWorkflowStub;
import io.temporal.workflow.Promise;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Child workflows, parent close policies, and signals and cancellations between workflows, via the Java SDK. */
@QuarkusTest
class ChildWorkflowTest {

    static final String NAMESPACE = TestTenant.namespace("children");
    static final String TASK_QUEUE = "child-workflows";

    @WorkflowInterface
    public interface Parent {
        @WorkflowMethod
        String run(String scenario, String childId);
    }

    @WorkflowInterface
    public interface Child {
        @WorkflowMethod
        String work(String input);
    }

    @WorkflowInterface
    public interface Waiter {
        @WorkflowMethod
        String waitFor();

        @SignalMethod
        void release(String word);
    }

    public static class ChildImpl implements Child {
        @Override
        public String work(String input) {
            if (input.equals("fail")) {
                throw ApplicationFailure.newNonRetryableFailure("child refuses", "Refused");
            }
            if (input.equals("sleep")) {
                Workflow.sleep(Duration.ofHours(1));
            }
            return "worked on " + input;
        }
    }

    public static class WaiterImpl implements Waiter {
        private String word;

        @Override
        public String waitFor() {
            Workflow.await(() -> word != null);
            return "released by " + word;
        }

        @Override
        public void release(String word) {
            this.word = word;
        }
    }

    public static class ParentImpl implements Parent {
        private static ChildWorkflowOptions options(String id, ParentClosePolicy policy) {
            return ChildWorkflowOptions.newBuilder().setWorkflowId(id).setParentClosePolicy(policy).build();
        }

        @Override
        public String run(String scenario, String childId) {
            switch (scenario) {
                case "two-children": {
                    Promise<String> a = Async.function(Workflow.newChildWorkflowStub(Child.class,
                            options(childId + "-a", ParentClosePolicy.PARENT_CLOSE_POLICY_TERMINATE))::work, "a");
                    Promise<String> b = Async.function(Workflow.newChildWorkflowStub(Child.class,
                            options(childId + "-b", ParentClosePolicy.PARENT_CLOSE_POLICY_TERMINATE))::work, "b");
                    return a.get() + " & " + b.get();
                }
                case "failing-child":
                    try {
                        return Workflow.newChildWorkflowStub(Child.class,
                                options(childId, ParentClosePolicy.PARENT_CLOSE_POLICY_TERMINATE)).work("fail");
                    } catch (ChildWorkflowFailure failure) {
                        return "child failed: " + ((ApplicationFailure) failure.getCause()).getOriginalMessage();
                    }
                case "signal-child": {
                    Waiter waiter = Workflow.newChildWorkflowStub(Waiter.class,
                            options(childId, ParentClosePolicy.PARENT_CLOSE_POLICY_TERMINATE));
                    Promise<String> result = Async.function(waiter::waitFor);
                    Workflow.getWorkflowExecution(waiter).get();
                    Workflow.newExternalWorkflowStub(Waiter.class, childId).release("parent");
                    return result.get();
                }
                case "cancel-child": {
                    Child sleeper = Workflow.newChildWorkflowStub(Child.class,
                            options(childId, ParentClosePolicy.PARENT_CLOSE_POLICY_ABANDON));
                    Promise<String> result = Async.function(sleeper::work, "sleep");
                    Workflow.getWorkflowExecution(sleeper).get();
                    ExternalWorkflowStub external = Workflow.newUntypedExternalWorkflowStub(childId);
                    external.cancel();
                    try {
                        return result.get();
                    } catch (ChildWorkflowFailure failure) {
                        return failure.getCause() instanceof CanceledFailure ? "child canceled" : "child failed";
                    }
                }
                default: {
                    // Leaves a sleeping child behind under the named close policy.
                    Child sleeper = Workflow.newChildWorkflowStub(Child.class,
                            options(childId, ParentClosePolicy.valueOf(scenario)));
                    Async.function(sleeper::work, "sleep");
                    Workflow.getWorkflowExecution(sleeper).get();
                    return "left " + childId;
                }
            }
        }
    }

    static SdkHarness sdk;

    @BeforeAll
    static void startWorker() {
        sdk = SdkHarness.start(NAMESPACE, TASK_QUEUE, worker ->
                worker.registerWorkflowImplementationTypes(ParentImpl.class, ChildImpl.class, WaiterImpl.class));
    }

    @AfterAll
    static void stopWorker() {
        sdk.close();
    }

    private static String runParent(String scenario, String parentId, String childId) throws Exception {
        String result = sdk.client.newWorkflowStub(Parent.class, WorkflowOptions.newBuilder().setTaskQueue(TASK_QUEUE)
                .setWorkflowId(parentId).setWorkflowExecutionTimeout(Duration.ofMinutes(2)).build()).run(scenario, childId);
        WorkflowReplayer.replayWorkflowExecution(sdk.client.fetchHistory(parentId), ParentImpl.class);
        return result;
    }

    private static WorkflowExecutionStatus statusOf(String workflowId) {
        return sdk.service.blockingStub().describeWorkflowExecution(DescribeWorkflowExecutionRequest.newBuilder()
                .setNamespace(NAMESPACE).setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId)).build())
                .getWorkflowExecutionInfo().getStatus();
    }

    private static void awaitStatus(String workflowId, WorkflowExecutionStatus expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (statusOf(workflowId) != expected) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(workflowId + " is " + statusOf(workflowId) + ", expected " + expected);
            }
            Thread.sleep(100);
        }
    }

    @Test
    void aParentGetsItsChildrensResults() throws Exception {
        String parent = "parent-" + UUID.randomUUID();

        assertEquals("worked on a & worked on b", runParent("two-children", parent, parent + "-child"));

        List<EventType> types = sdk.client.fetchHistory(parent).getEvents().stream().map(HistoryEvent::getEventType).toList();
        assertEquals(2, types.stream().filter(t -> t == EventType.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED).count());
        assertEquals(2, types.stream().filter(t -> t == EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_STARTED).count());
        assertEquals(2, types.stream().filter(t -> t == EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_COMPLETED).count());
        var childStarted = sdk.client.fetchHistory(parent + "-child-a").getEvents().get(0)
                .getWorkflowExecutionStartedEventAttributes();
        assertEquals(parent, childStarted.getParentWorkflowExecution().getWorkflowId());
        // The child's root is the top-level parent; the top-level run itself has none in its started event.
        assertEquals(parent, childStarted.getRootWorkflowExecution().getWorkflowId(), childStarted.toString());
        assertFalse(sdk.client.fetchHistory(parent).getEvents().get(0).getWorkflowExecutionStartedEventAttributes()
                .hasRootWorkflowExecution());
        var described = sdk.service.blockingStub().describeWorkflowExecution(
                io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest.newBuilder().setNamespace(NAMESPACE)
                        .setExecution(io.temporal.api.common.v1.WorkflowExecution.newBuilder()
                                .setWorkflowId(parent + "-child-a")).build()).getWorkflowExecutionInfo();
        assertEquals(parent, described.getRootExecution().getWorkflowId());
    }

    @Test
    void aChildsFailureReachesItsParent() throws Exception {
        String parent = "parent-" + UUID.randomUUID();

        assertEquals("child failed: child refuses", runParent("failing-child", parent, parent + "-child"));
    }

    @Test
    void workflowsSignalAndCancelEachOther() throws Exception {
        String parent = "parent-" + UUID.randomUUID();
        assertEquals("released by parent", runParent("signal-child", parent, parent + "-waiter"));
        assertTrue(sdk.client.fetchHistory(parent).getEvents().stream()
                .anyMatch(e -> e.getEventType() == EventType.EVENT_TYPE_EXTERNAL_WORKFLOW_EXECUTION_SIGNALED));

        String canceling = "parent-" + UUID.randomUUID();
        assertEquals("child canceled", runParent("cancel-child", canceling, canceling + "-sleeper"));
        assertTrue(sdk.client.fetchHistory(canceling).getEvents().stream()
                .anyMatch(e -> e.getEventType() == EventType.EVENT_TYPE_EXTERNAL_WORKFLOW_EXECUTION_CANCEL_REQUESTED));
        assertEquals(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_CANCELED, statusOf(canceling + "-sleeper"));
    }

    @Test
    void eachParentClosePolicyIsAppliedWhenTheParentCloses() throws Exception {
        String id = UUID.randomUUID().toString();
        runParent("PARENT_CLOSE_POLICY_TERMINATE", "p-terminate-" + id, "c-terminate-" + id);
        runParent("PARENT_CLOSE_POLICY_REQUEST_CANCEL", "p-cancel-" + id, "c-cancel-" + id);
        runParent("PARENT_CLOSE_POLICY_ABANDON", "p-abandon-" + id, "c-abandon-" + id);

        awaitStatus("c-terminate-" + id, WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_TERMINATED);
        awaitStatus("c-cancel-" + id, WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_CANCELED);
        Thread.sleep(500);
        assertEquals(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING, statusOf("c-abandon-" + id));
        sdk.client.newUntypedWorkflowStub("c-abandon-" + id).terminate("test cleanup");
    }
}
