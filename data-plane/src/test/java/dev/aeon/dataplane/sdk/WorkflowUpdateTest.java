package dev.aeon.dataplane.sdk;

import dev.aeon.dataplane.TestTenant;
import io.quarkus.test.junit.QuarkusTest;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.UpdateOptions;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.client.WorkflowUpdateStage;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.UpdateMethod;
import io.temporal.workflow.UpdateValidatorMethod;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Workflow updates through the real Java SDK: validation, acceptance, completion, deduplication. */
@QuarkusTest
class WorkflowUpdateTest {

    static final String NAMESPACE = TestTenant.namespace("updates");
    static final String TASK_QUEUE = "workflow-updates";

    @WorkflowInterface
    public interface Cart {
        @WorkflowMethod
        List<String> shop();

        @UpdateMethod
        int add(String item);

        @UpdateValidatorMethod(updateName = "add")
        void validateAdd(String item);

        @SignalMethod
        void checkout();
    }

    public static class CartImpl implements Cart {
        private final List<String> items = new ArrayList<>();
        private boolean done;

        @Override
        public List<String> shop() {
            Workflow.await(() -> done);
            return items;
        }

        @Override
        public int add(String item) {
            items.add(item);
            return items.size();
        }

        @Override
        public void validateAdd(String item) {
            if (item == null || item.isBlank()) {
                throw new IllegalArgumentException("an item needs a name");
            }
        }

        @Override
        public void checkout() {
            done = true;
        }
    }

    static SdkHarness sdk;

    @BeforeAll
    static void startWorker() {
        sdk = SdkHarness.start(NAMESPACE, TASK_QUEUE, worker -> worker.registerWorkflowImplementationTypes(CartImpl.class));
    }

    @AfterAll
    static void stopWorker() {
        sdk.close();
    }

    @Test
    void updatesAreValidatedAcceptedAndCompletedOnceEach() throws Exception {
        String id = "cart-" + UUID.randomUUID();
        Cart cart = sdk.client.newWorkflowStub(Cart.class, WorkflowOptions.newBuilder().setTaskQueue(TASK_QUEUE)
                .setWorkflowId(id).build());
        WorkflowClient.start(cart::shop);

        assertEquals(1, cart.add("apples"));
        WorkflowUpdateException rejected = assertThrows(WorkflowUpdateException.class, () -> cart.add(" "));
        assertTrue(rejected.getCause().getMessage().contains("an item needs a name"), rejected.getCause().getMessage());
        WorkflowStub untyped = WorkflowStub.fromTyped(cart);
        UpdateOptions<Integer> pears = UpdateOptions.newBuilder(Integer.class).setUpdateName("add")
                .setUpdateId("pears-once").setWaitForStage(WorkflowUpdateStage.COMPLETED).build();
        assertEquals(2, untyped.startUpdate(pears, "pears").getResultAsync().get());
        assertEquals(2, untyped.startUpdate(pears, "pears").getResultAsync().get(), "same update id, same outcome");

        cart.checkout();
        assertEquals(List.of("apples", "pears"), untyped.getResult(List.class));

        var history = sdk.client.fetchHistory(id);
        List<EventType> types = history.getEvents().stream().map(HistoryEvent::getEventType).toList();
        assertEquals(2, types.stream().filter(t -> t == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED).count(),
                "the rejected update and the repeated one left no accepted event");
        assertEquals(2, types.stream().filter(t -> t == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED).count());
        WorkflowReplayer.replayWorkflowExecution(history, CartImpl.class);

        assertThrows(Exception.class, () -> cart.add("too late"), "a closed workflow takes no updates");
    }

    @Test
    void aRejectedUpdateLeavesNoTraceInHistory() throws Exception {
        String id = "cart-speculative-" + UUID.randomUUID();
        Cart cart = sdk.client.newWorkflowStub(Cart.class, WorkflowOptions.newBuilder().setTaskQueue(TASK_QUEUE)
                .setWorkflowId(id).build());
        WorkflowClient.start(cart::shop);
        assertEquals(1, cart.add("apples"));
        List<HistoryEvent> before = sdk.client.fetchHistory(id).getEvents();

        assertThrows(WorkflowUpdateException.class, () -> cart.add(""));
        assertThrows(WorkflowUpdateException.class, () -> cart.add(" "));

        List<HistoryEvent> after = sdk.client.fetchHistory(id).getEvents();
        assertEquals(before.stream().map(HistoryEvent::getEventType).toList(),
                after.stream().map(HistoryEvent::getEventType).toList(),
                "the speculative workflow tasks that only rejected left no events");
        assertEquals(before, after);

        assertEquals(2, cart.add("pears"), "the worker's view survived the discarded tasks");
        List<EventType> accepted = sdk.client.fetchHistory(id).getEvents().stream().skip(before.size())
                .map(HistoryEvent::getEventType).toList();
        assertEquals(List.of(EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED, EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED,
                EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED, EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED,
                EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED), accepted, "an accepted update is recorded as before");

        cart.checkout();
        assertEquals(List.of("apples", "pears"), WorkflowStub.fromTyped(cart).getResult(List.class));
        WorkflowReplayer.replayWorkflowExecution(sdk.client.fetchHistory(id), CartImpl.class);
    }

    @Test
    void updateWithStartStartsTheWorkflowOrUsesTheRunningOne() {
        String id = "cart-uws-" + UUID.randomUUID();
        WorkflowOptions options = WorkflowOptions.newBuilder().setTaskQueue(TASK_QUEUE).setWorkflowId(id)
                .setWorkflowIdConflictPolicy(io.temporal.api.enums.v1.WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING)
                .build();

        Cart first = sdk.client.newWorkflowStub(Cart.class, options);
        int count = WorkflowClient.executeUpdateWithStart(first::add, "bread",
                io.temporal.client.UpdateOptions.<Integer>newBuilder().build(),
                new io.temporal.client.WithStartWorkflowOperation<>(first::shop));
        Cart second = sdk.client.newWorkflowStub(Cart.class, options);
        int again = WorkflowClient.executeUpdateWithStart(second::add, "milk",
                io.temporal.client.UpdateOptions.<Integer>newBuilder().build(),
                new io.temporal.client.WithStartWorkflowOperation<>(second::shop));

        assertEquals(1, count, "the first call started the cart");
        assertEquals(2, again, "the second found it running and updated it");
        second.checkout();
        assertEquals(List.of("bread", "milk"), WorkflowStub.fromTyped(second).getResult(List.class));
    }

    /**
     * Temporal admits an update-with-start's update in the start's own transaction, so the run's first workflow
     * task carries it, even to a poll already waiting when the run is created (as the Go SDK's suite runs it: its
     * TestNonDeterminismFailureCauseCommandNotFound failed when the update came in a second task). A raw poll waits
     * on a fresh queue before the update-with-start, and its task must hold the update's request.
     */
    @Test
    void aPollWaitingWhenUpdateWithStartCommitsGetsTheUpdateInTheFirstTask() throws Exception {
        var api = sdk.service.futureStub();
        for (int i = 0; i < 5; i++) {
            String id = "cart-first-task-" + UUID.randomUUID();
            var queue = io.temporal.api.taskqueue.v1.TaskQueue.newBuilder().setName("first-task-" + UUID.randomUUID());
            var poll = api.pollWorkflowTaskQueue(io.temporal.api.workflowservice.v1.PollWorkflowTaskQueueRequest
                    .newBuilder().setNamespace(NAMESPACE).setTaskQueue(queue).setIdentity("raw-poller").build());
            Thread.sleep(300); // the poll is waiting on the queue
            var update = api.executeMultiOperation(io.temporal.api.workflowservice.v1.ExecuteMultiOperationRequest
                    .newBuilder().setNamespace(NAMESPACE)
                    .addOperations(io.temporal.api.workflowservice.v1.ExecuteMultiOperationRequest.Operation.newBuilder()
                            .setStartWorkflow(io.temporal.api.workflowservice.v1.StartWorkflowExecutionRequest
                                    .newBuilder().setNamespace(NAMESPACE).setWorkflowId(id)
                                    .setWorkflowType(io.temporal.api.common.v1.WorkflowType.newBuilder().setName("Cart"))
                                    .setTaskQueue(queue).setRequestId(UUID.randomUUID().toString())))
                    .addOperations(io.temporal.api.workflowservice.v1.ExecuteMultiOperationRequest.Operation.newBuilder()
                            .setUpdateWorkflow(io.temporal.api.workflowservice.v1.UpdateWorkflowExecutionRequest
                                    .newBuilder().setNamespace(NAMESPACE)
                                    .setWorkflowExecution(io.temporal.api.common.v1.WorkflowExecution.newBuilder()
                                            .setWorkflowId(id))
                                    .setRequest(io.temporal.api.update.v1.Request.newBuilder()
                                            .setMeta(io.temporal.api.update.v1.Meta.newBuilder().setUpdateId("u-" + i))
                                            .setInput(io.temporal.api.update.v1.Input.newBuilder().setName("add")))
                                    .setWaitPolicy(io.temporal.api.update.v1.WaitPolicy.newBuilder().setLifecycleStage(
                                            io.temporal.api.enums.v1.UpdateWorkflowExecutionLifecycleStage
                                                    .UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_ACCEPTED))))
                    .build());
            var task = poll.get(10, java.util.concurrent.TimeUnit.SECONDS);
            update.cancel(true);
            assertEquals(List.of("u-" + i), task.getMessagesList().stream().map(message -> {
                try {
                    return message.getBody().unpack(io.temporal.api.update.v1.Request.class).getMeta().getUpdateId();
                } catch (com.google.protobuf.InvalidProtocolBufferException e) {
                    throw new AssertionError(e);
                }
            }).toList(), "the first workflow task's messages, attempt " + i);
            sdk.client.newUntypedWorkflowStub(id).terminate("checked");
        }
    }

    @Test
    void anUpdateDuringAStartDelayIsDeliveredInAFirstWorkflowTaskAtOnce() throws Exception {
        // Temporal does not hold an update back until the start delay ends: it schedules the run's first
        // workflow task at once to carry it, and from then on the run is under way (a signal gets a task too).
        String id = "cart-delayed-" + UUID.randomUUID();
        Cart cart = startedWithAnHourDelay(id);
        WorkflowStub untyped = WorkflowStub.fromTyped(cart);

        assertEquals(1, within20Seconds(() -> untyped.startUpdate(ADD, "apples").getResult()));
        cart.checkout();
        assertEquals(List.of("apples"), untyped.getResultAsync(List.class).get(20, java.util.concurrent.TimeUnit.SECONDS));

        var history = sdk.client.fetchHistory(id);
        assertEquals(List.of(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED, EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED,
                        EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED, EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED,
                        EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED,
                        EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED),
                history.getEvents().stream().limit(6).map(HistoryEvent::getEventType).toList());
        WorkflowReplayer.replayWorkflowExecution(history, CartImpl.class);
    }

    @Test
    void anUpdateRejectedDuringAStartDelayLeavesTheDelayInPlace() throws Exception {
        // The first task came only for the update; the worker rejected it, so the task is discarded and the run is
        // back where it was: still waiting out its delay, which a signal does not cut short (as in Temporal).
        String id = "cart-delayed-rejected-" + UUID.randomUUID();
        Cart cart = startedWithAnHourDelay(id);
        WorkflowStub untyped = WorkflowStub.fromTyped(cart);

        var rejected = assertThrows(java.util.concurrent.ExecutionException.class,
                () -> within20Seconds(() -> untyped.startUpdate(ADD, " ").getResult()));
        assertTrue(rejected.getCause() instanceof WorkflowUpdateException, rejected.toString());
        cart.checkout();

        assertEquals(List.of(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED, EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED),
                sdk.client.fetchHistory(id).getEvents().stream().map(HistoryEvent::getEventType).toList());
        untyped.terminate("done");
    }

    private static final UpdateOptions<Integer> ADD = UpdateOptions.newBuilder(Integer.class).setUpdateName("add")
            .setWaitForStage(WorkflowUpdateStage.COMPLETED).build();

    private static Cart startedWithAnHourDelay(String id) {
        Cart cart = sdk.client.newWorkflowStub(Cart.class, WorkflowOptions.newBuilder().setTaskQueue(TASK_QUEUE)
                .setWorkflowId(id).setStartDelay(java.time.Duration.ofHours(1)).build());
        WorkflowClient.start(cart::shop);
        return cart;
    }

    /** The SDK's update calls wait for their stage however long it takes: this fails the test instead. */
    private static <T> T within20Seconds(java.util.function.Supplier<T> call) throws Exception {
        return java.util.concurrent.CompletableFuture.supplyAsync(call).get(20, java.util.concurrent.TimeUnit.SECONDS);
    }
}
