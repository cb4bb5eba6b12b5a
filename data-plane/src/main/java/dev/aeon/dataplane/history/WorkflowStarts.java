package dev.aeon.dataplane.history;

import com.google.protobuf.Duration;
import com.google.protobuf.util.Durations;
import dev.aeon.dataplane.frontend.ApiErrors;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.history.v1.WorkflowExecutionStartedEventAttributes;
import io.temporal.api.workflowservice.v1.StartWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.StartWorkflowExecutionResponse;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.UUID;

/** StartWorkflowExecution: a new run with its started event and first workflow task. */
@ApplicationScoped
public class WorkflowStarts {

    /** Temporal's default and ceiling for a workflow task's start-to-close timeout. */
    static final Duration DEFAULT_TASK_TIMEOUT = Durations.fromSeconds(10);
    static final Duration MAX_TASK_TIMEOUT = Durations.fromSeconds(120);

    private final HistoryEngine engine;
    private final WorkflowTasks workflowTasks;

    public WorkflowStarts(HistoryEngine engine, WorkflowTasks workflowTasks) {
        this.engine = engine;
        this.workflowTasks = workflowTasks;
    }

    public StartWorkflowExecutionResponse start(String namespaceId, StartWorkflowExecutionRequest request) {
        Validation.requireId("workflow_id", request.getWorkflowId());
        Validation.requireId("workflow_type.name", request.getWorkflowType().getName());
        Validation.requireId("task_queue.name", request.getTaskQueue().getName());
        Validation.nonNegative("workflow_execution_timeout", request.getWorkflowExecutionTimeout());
        Validation.nonNegative("workflow_run_timeout", request.getWorkflowRunTimeout());
        Validation.nonNegative("workflow_task_timeout", request.getWorkflowTaskTimeout());
        String requestId = request.getRequestId().isEmpty() ? UUID.randomUUID().toString() : request.getRequestId();

        return engine.create(namespaceId, request.getWorkflowId(), current -> {
            if (current.isPresent() && HistoryEngine.isRunning(current.get().status())) {
                if (current.get().startRequestId().equals(requestId)) {
                    // A retry of the request that started the running run: same answer, nothing new.
                    return new HistoryEngine.Creation<>(null, m -> { }, response(current.get().runId(), true));
                }
                throw ApiErrors.workflowAlreadyStarted(request.getWorkflowId(), current.get().runId(),
                        current.get().startRequestId());
            }
            ExecutionState state = newRun(namespaceId, request, requestId);
            return new HistoryEngine.Creation<>(state, m -> initialize(m, request), response(state.runId, true));
        });
    }

    private static ExecutionState newRun(String namespaceId, StartWorkflowExecutionRequest request, String requestId) {
        ExecutionState state = new ExecutionState();
        state.namespaceId = namespaceId;
        state.workflowId = request.getWorkflowId();
        state.runId = UUID.randomUUID().toString();
        state.firstRunId = state.runId;
        state.workflowType = request.getWorkflowType().getName();
        state.taskQueue = request.getTaskQueue().getName();
        state.startRequestId = requestId;
        state.status = WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING_VALUE;
        state.executionTimeoutMillis = Durations.toMillis(request.getWorkflowExecutionTimeout());
        // A run timeout defaults to, and never exceeds, the execution timeout.
        long run = Durations.toMillis(request.getWorkflowRunTimeout());
        state.runTimeoutMillis = state.executionTimeoutMillis > 0 && (run == 0 || run > state.executionTimeoutMillis)
                ? state.executionTimeoutMillis : run;
        state.workflowTaskTimeoutMillis = Durations.toMillis(taskTimeout(request.getWorkflowTaskTimeout()));
        state.memo = request.hasMemo() ? request.getMemo().toByteArray() : null;
        state.searchAttributes = request.hasSearchAttributes() ? request.getSearchAttributes().toByteArray() : null;
        return state;
    }

    private void initialize(Mutation m, StartWorkflowExecutionRequest request) {
        ExecutionState state = m.state;
        state.startTimeMillis = m.now;
        WorkflowExecutionStartedEventAttributes.Builder started = WorkflowExecutionStartedEventAttributes.newBuilder()
                .setWorkflowType(request.getWorkflowType())
                .setTaskQueue(request.getTaskQueue())
                .setInput(request.getInput())
                .setWorkflowExecutionTimeout(Durations.fromMillis(state.executionTimeoutMillis))
                .setWorkflowRunTimeout(Durations.fromMillis(state.runTimeoutMillis))
                .setWorkflowTaskTimeout(Durations.fromMillis(state.workflowTaskTimeoutMillis))
                .setIdentity(request.getIdentity())
                .setOriginalExecutionRunId(state.runId)
                .setFirstExecutionRunId(state.firstRunId)
                .setAttempt(1)
                .setWorkflowId(state.workflowId)
                .setHeader(request.getHeader())
                .setMemo(request.getMemo())
                .setSearchAttributes(request.getSearchAttributes());
        if (request.hasRetryPolicy()) {
            started.setRetryPolicy(request.getRetryPolicy());
        }
        if (state.executionTimeoutMillis > 0) {
            started.setWorkflowExecutionExpirationTime(
                    com.google.protobuf.util.Timestamps.fromMillis(m.now + state.executionTimeoutMillis));
        }
        m.append(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED,
                e -> e.setWorkflowExecutionStartedEventAttributes(started));
        WorkflowLifecycle.armRunTimeout(m);
        workflowTasks.schedule(m);
    }

    private static Duration taskTimeout(Duration requested) {
        if (Durations.toMillis(requested) == 0) {
            return DEFAULT_TASK_TIMEOUT;
        }
        return Durations.compare(requested, MAX_TASK_TIMEOUT) > 0 ? MAX_TASK_TIMEOUT : requested;
    }

    private static StartWorkflowExecutionResponse response(String runId, boolean started) {
        return StartWorkflowExecutionResponse.newBuilder().setRunId(runId).setStarted(started).build();
    }
}
