package dev.aeon.dataplane.history.query;

import dev.aeon.dataplane.history.state.WorkflowTaskInfo;
import dev.aeon.dataplane.history.engine.HistoryEngine;
import dev.aeon.dataplane.history.rules.Limits;
import dev.aeon.dataplane.history.rules.Validation;
import dev.aeon.dataplane.history.state.ExecutionState;
import com.google.protobuf.ByteString;
import dev.aeon.dataplane.errors.ApiErrors;
import dev.aeon.dataplane.matching.DispatchTask;
import dev.aeon.dataplane.matching.TaskQueues;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.common.v1.WorkflowType;
import io.temporal.api.enums.v1.QueryRejectCondition;
import io.temporal.api.enums.v1.QueryResultType;
import io.temporal.api.enums.v1.TaskQueueKind;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.history.v1.History;
import io.temporal.api.query.v1.QueryRejected;
import io.temporal.api.query.v1.WorkflowQuery;
import io.temporal.api.taskqueue.v1.TaskQueue;
import io.temporal.api.workflowservice.v1.PollWorkflowTaskQueueResponse;
import io.temporal.api.workflowservice.v1.QueryWorkflowRequest;
import io.temporal.api.workflowservice.v1.QueryWorkflowResponse;
import io.temporal.api.workflowservice.v1.RespondQueryTaskCompletedRequest;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * QueryWorkflow: a query travels to a worker of the run's task queue as a query task (the run's history plus the
 * query), and the worker's answer comes back through RespondQueryTaskCompleted. Queries change nothing, so they
 * live in memory only; closed runs can be queried too.
 */
@ApplicationScoped
public class Queries {

    private static final String BLOB_TOO_LARGE = "Blob data size exceeds limit.";

    /** Prefix that tells a query task's token from a workflow task's. */
    private static final byte[] TOKEN_PREFIX = "aeon-query:".getBytes(StandardCharsets.UTF_8);

    private record Pending(QueryWorkflowRequest request, CompletableFuture<QueryWorkflowResponse> answer) {
    }

    private final HistoryEngine engine;
    private final TaskQueues matching;
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();

    private final String nodeId;

    public Queries(HistoryEngine engine, TaskQueues matching) {
        this.engine = engine;
        this.matching = matching;
        this.nodeId = engine.nodeId();
    }

    /** The query id in a query task's token (the node that waits for the answer is tagged in it). */
    public static java.util.Optional<String> queryIdOf(ByteString token) {
        return isQueryToken(token) ? java.util.Optional.of(token.substring(TOKEN_PREFIX.length).toStringUtf8())
                : java.util.Optional.empty();
    }

    public CompletableFuture<QueryWorkflowResponse> query(String namespaceId, QueryWorkflowRequest request,
                                                          Duration timeout) {
        Validation.requireId("execution.workflow_id", request.getExecution().getWorkflowId());
        Validation.requireId("query.query_type", request.getQuery().getQueryType());
        String workflowId = request.getExecution().getWorkflowId();
        String runId = engine.resolveRunId(namespaceId, workflowId, request.getExecution().getRunId());
        ExecutionState state = engine.read(namespaceId, workflowId, runId).state();
        Optional<QueryWorkflowResponse> rejected = rejected(request.getQueryRejectCondition(), state.status());
        if (rejected.isPresent()) {
            return CompletableFuture.completedFuture(rejected.get());
        }
        String queryId = dev.aeon.dataplane.cluster.NodeTagged.newId(nodeId);
        CompletableFuture<QueryWorkflowResponse> answer = new CompletableFuture<>();
        pending.put(queryId, new Pending(request, answer));
        long deadline = System.nanoTime() + timeout.toNanos();
        // Dropped from the queue when the caller stops waiting: a query nobody polls for holds no memory.
        DispatchTask task = new DispatchTask(DispatchTask.Kind.WORKFLOW, namespaceId, state.taskQueue(), workflowId,
                runId, 0, -1, 0, queryId);
        afterWorkflowTask(namespaceId, workflowId, runId, state.workflowTask(), deadline)
                .thenRun(() -> matching.offerQuery(task, deadline));
        return answer.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((r, e) -> pending.remove(queryId))
                .exceptionallyCompose(e -> CompletableFuture.failedFuture(
                        e instanceof java.util.concurrent.TimeoutException || e.getCause() instanceof java.util.concurrent.TimeoutException
                                ? ApiErrors.deadlineExceeded("query timed out: no worker answered the query in time")
                                : e));
    }

    /**
     * Completes once {@code task}, the workflow task the run had when the query came (pending or running), is over;
     * at once if it had none or the run closed. Temporal's queries are strongly consistent: what reached the run
     * before the query (a signal held back while a task runs) must be seen by it, and that is so only once the task
     * in flight completed. Temporal holds such a query in the same way, or hands it to the next task.
     */
    private CompletableFuture<Void> afterWorkflowTask(String namespaceId, String workflowId, String runId,
                                                      WorkflowTaskInfo task, long deadline) {
        if (task == null) {
            return CompletableFuture.completedFuture(null);
        }
        HistoryEngine.Watched<ExecutionState> watched = engine.watch(namespaceId, workflowId, runId,
                HistoryEngine::copyOf);
        CompletableFuture<Void> change = watched.nextChange();
        ExecutionState state = watched.view();
        long remaining = deadline - System.nanoTime();
        if (!state.isRunning() || state.workflowTask() == null || state.workflowTask().transferTaskId() != task.transferTaskId()
                || remaining <= 0) {
            engine.forgetWaiter(runId, change);
            return CompletableFuture.completedFuture(null);
        }
        return change.orTimeout(remaining, TimeUnit.NANOSECONDS)
                .handleAsync((changed, timedOut) -> {
                    engine.forgetWaiter(runId, change);
                    return afterWorkflowTask(namespaceId, workflowId, runId, task, deadline);
                }, engine.executor())
                .thenCompose(next -> next);
    }

    /** A worker polled a query task: the run's history and the query. Empty when the query was given up. */
    public Optional<PollWorkflowTaskQueueResponse> pollResponse(DispatchTask task) {
        Pending query = pending.get(task.queryId());
        if (query == null) {
            return Optional.empty();
        }
        ExecutionState state = engine.read(task.namespaceId(), task.workflowId(), task.runId()).state();
        WorkflowQuery workflowQuery = query.request().getQuery();
        return Optional.of(PollWorkflowTaskQueueResponse.newBuilder()
                .setTaskToken(ByteString.copyFrom(TOKEN_PREFIX).concat(ByteString.copyFromUtf8(task.queryId())))
                .setWorkflowExecution(WorkflowExecution.newBuilder().setWorkflowId(state.workflowId()).setRunId(state.runId()))
                .setWorkflowType(WorkflowType.newBuilder().setName(state.workflowType()))
                .setPreviousStartedEventId(state.lastCompletedWorkflowTaskStartedEventId())
                // No started event id, as Temporal: a query task starts nothing, and SDKs read a started event id
                // as where its history must end, while this history runs to the latest event.
                .setHistory(History.newBuilder().addAllEvents(engine.events(state, 1, state.nextEventId())))
                .setQuery(workflowQuery)
                .setWorkflowExecutionTaskQueue(TaskQueue.newBuilder().setName(state.taskQueue())
                        .setKind(TaskQueueKind.TASK_QUEUE_KIND_NORMAL))
                .build());
    }

    public static boolean isQueryToken(ByteString token) {
        return token.startsWith(ByteString.copyFrom(TOKEN_PREFIX));
    }

    public void answer(RespondQueryTaskCompletedRequest request) {
        String queryId = request.getTaskToken().substring(TOKEN_PREFIX.length).toStringUtf8();
        Pending query = pending.remove(queryId);
        if (query == null) {
            throw ApiErrors.notFound("query task not found, or already timed out");
        }
        if (request.getCompletedType() == QueryResultType.QUERY_RESULT_TYPE_ANSWERED
                && request.getQueryResult().getSerializedSize() > Limits.MAX_PAYLOAD_BYTES) {
            // As Temporal: an answer over the blob limit becomes the query's failure, in Temporal's words.
            query.answer().completeExceptionally(ApiErrors.queryFailed(BLOB_TOO_LARGE,
                    io.temporal.api.failure.v1.Failure.newBuilder().setMessage(BLOB_TOO_LARGE).build()));
        } else if (request.getCompletedType() == QueryResultType.QUERY_RESULT_TYPE_ANSWERED) {
            query.answer().complete(QueryWorkflowResponse.newBuilder().setQueryResult(request.getQueryResult()).build());
        } else {
            query.answer().completeExceptionally(ApiErrors.queryFailed(request.getErrorMessage(), request.getFailure()));
        }
    }

    private static Optional<QueryWorkflowResponse> rejected(QueryRejectCondition condition, int status) {
        boolean reject = switch (condition) {
            case QUERY_REJECT_CONDITION_NOT_OPEN -> status != WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING_VALUE;
            case QUERY_REJECT_CONDITION_NOT_COMPLETED_CLEANLY ->
                    status != WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING_VALUE
                            && status != WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED_VALUE;
            default -> false;
        };
        return reject ? Optional.of(QueryWorkflowResponse.newBuilder()
                .setQueryRejected(QueryRejected.newBuilder().setStatus(WorkflowExecutionStatus.forNumber(status)))
                .build()) : Optional.empty();
    }
}
