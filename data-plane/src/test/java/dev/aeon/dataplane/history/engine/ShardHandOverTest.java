package dev.aeon.dataplane.history.engine;

import dev.aeon.dataplane.TestPorts;
import dev.aeon.dataplane.TestTenant;
import dev.aeon.dataplane.namespace.NamespaceRegistry;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.junit.QuarkusTest;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.common.v1.WorkflowType;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.HistoryEventFilterType;
import io.temporal.api.taskqueue.v1.TaskQueue;
import io.temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryRequest;
import io.temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryResponse;
import io.temporal.api.workflowservice.v1.StartWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.TerminateWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.WorkflowServiceGrpc;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A node that gives a shard up (to another node, as the members change) ends the history long polls waiting on its
 * runs, and waits no new one there: only the shard's owner commits its runs, so a long poll waiting elsewhere would
 * hear nothing until its 60 s ran out. A client's result long poll routed by another node's view of the members a
 * moment old is exactly that. UNAVAILABLE sends the SDK to retry, which reaches the owner.
 */
@QuarkusTest
class ShardHandOverTest {

    private static final String NAMESPACE = TestTenant.namespace("hand-over-" + UUID.randomUUID().toString().substring(0, 6));
    private static ManagedChannel channel;
    private static WorkflowServiceGrpc.WorkflowServiceBlockingStub api;

    @Inject
    HistoryEngine engine;
    @Inject
    NamespaceRegistry namespaces;

    @BeforeAll
    static void connect() {
        TestTenant.provision(NAMESPACE);
        channel = ManagedChannelBuilder.forAddress("127.0.0.1", TestPorts.FRONTEND).usePlaintext().build();
        api = TestTenant.asOwnerOf(TestTenant.ACCOUNT, WorkflowServiceGrpc.newBlockingStub(channel));
    }

    @AfterAll
    static void disconnect() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    @Test
    void longPollsEndWhenTheShardIsGivenUpAndNoneWaitsWhileItIsAway() throws Exception {
        String workflowId = "hand-over-" + UUID.randomUUID();
        String runId = api.startWorkflowExecution(StartWorkflowExecutionRequest.newBuilder().setNamespace(NAMESPACE)
                .setWorkflowId(workflowId).setRequestId(UUID.randomUUID().toString())
                .setWorkflowType(WorkflowType.newBuilder().setName("Waits"))
                .setTaskQueue(TaskQueue.newBuilder().setName("nobody-polls-" + workflowId)).build()).getRunId();
        Shards shards = engine.shards();
        int shard = Shards.shardOf(namespaces.namespace(NAMESPACE).id(), workflowId, shards.count());

        CompletableFuture<GetWorkflowExecutionHistoryResponse> waiting = CompletableFuture.supplyAsync(
                () -> resultLongPoll(workflowId));
        Thread.sleep(1_000); // waiting on the run's next commit now
        boolean[] allBut = new boolean[shards.count()];
        Arrays.fill(allBut, true);
        allBut[shard] = false;
        try {
            shards.serveOnly(allBut, new boolean[shards.count()]);

            assertUnavailable(waiting, "a long poll waiting when the shard was given up");
            assertUnavailable(CompletableFuture.supplyAsync(() -> resultLongPoll(workflowId)),
                    "a long poll arriving while another node serves the shard");
        } finally {
            boolean[] all = new boolean[shards.count()];
            Arrays.fill(all, true);
            shards.serveOnly(all, new boolean[shards.count()]);
        }

        CompletableFuture<GetWorkflowExecutionHistoryResponse> back = CompletableFuture.supplyAsync(
                () -> resultLongPoll(workflowId));
        Thread.sleep(500);
        api.terminateWorkflowExecution(TerminateWorkflowExecutionRequest.newBuilder().setNamespace(NAMESPACE)
                .setWorkflowExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId).setRunId(runId))
                .setReason("test over").build());
        assertEquals(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED,
                back.get(10, TimeUnit.SECONDS).getHistory().getEvents(0).getEventType(),
                "the shard is served here again: its long polls wait here again");
    }

    private static GetWorkflowExecutionHistoryResponse resultLongPoll(String workflowId) {
        return api.withDeadlineAfter(70, TimeUnit.SECONDS).getWorkflowExecutionHistory(
                GetWorkflowExecutionHistoryRequest.newBuilder().setNamespace(NAMESPACE)
                        .setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId))
                        .setWaitNewEvent(true)
                        .setHistoryEventFilterType(HistoryEventFilterType.HISTORY_EVENT_FILTER_TYPE_CLOSE_EVENT).build());
    }

    /** Fails UNAVAILABLE within 5 s, not after the long poll's 60 s. */
    private static void assertUnavailable(CompletableFuture<GetWorkflowExecutionHistoryResponse> poll, String what) {
        ExecutionException failed = assertThrows(ExecutionException.class, () -> poll.get(5, TimeUnit.SECONDS), what);
        assertTrue(failed.getCause() instanceof StatusRuntimeException, what + ": " + failed.getCause());
        assertEquals(Status.Code.UNAVAILABLE, ((StatusRuntimeException) failed.getCause()).getStatus().getCode(), what);
    }
}
