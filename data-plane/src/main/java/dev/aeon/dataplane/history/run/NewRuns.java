package dev.aeon.dataplane.history.run;

import dev.aeon.dataplane.history.state.ParentRef;
import dev.aeon.dataplane.history.engine.Mutation;
import dev.aeon.dataplane.history.state.AutoResetPoints;
import dev.aeon.dataplane.history.state.ExecutionState;
import dev.aeon.dataplane.history.state.TimerTask;
import dev.aeon.dataplane.history.workflowtask.WorkflowTasks;
import io.temporal.api.workflow.v1.ResetPoints;
import com.google.protobuf.Duration;
import com.google.protobuf.util.Durations;
import com.google.protobuf.util.Timestamps;
import io.temporal.api.common.v1.WorkflowType;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.TaskQueueKind;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.history.v1.WorkflowExecutionStartedEventAttributes;
import io.temporal.api.taskqueue.v1.TaskQueue;

import java.util.UUID;

/**
 * How a run begins, whatever starts it: a client's start, signal-with-start, continue-as-new, a retry or the next
 * cron run. Builds the run's mutable state and its first transition (started event, then the first workflow task
 * now or after a backoff).
 */
final class NewRuns {

    /** Temporal's default and ceiling for a workflow task's start-to-close timeout. */
    static final Duration DEFAULT_TASK_TIMEOUT = Durations.fromSeconds(10);
    static final Duration MAX_TASK_TIMEOUT = Durations.fromSeconds(120);

    private NewRuns() {
    }

    public static long taskTimeoutMillis(Duration requested) {
        if (Durations.toMillis(requested) <= 0) {
            return Durations.toMillis(DEFAULT_TASK_TIMEOUT);
        }
        return Math.min(Durations.toMillis(requested), Durations.toMillis(MAX_TASK_TIMEOUT));
    }

    /** A run timeout defaults to, and never exceeds, the execution timeout. */
    static long runTimeoutMillis(long requested, long executionTimeout) {
        return executionTimeout > 0 && (requested == 0 || requested > executionTimeout) ? executionTimeout : requested;
    }

    /** A new run of {@code spec}, the child of {@code parent} (null for a top-level run). */
    public static ExecutionState state(String namespaceId, String workflowId, RunSpec spec,
                                       ParentRef parent) {
        return state(namespaceId, workflowId, spec, parent, null);
    }

    /** {@link #state(String, String, RunSpec, ParentRef)}, with who is told when its chain closes (or null). */
    public static ExecutionState state(String namespaceId, String workflowId, RunSpec spec,
                                       ParentRef parent, dev.aeon.dataplane.history.state.CloseCallback callback) {
        return ExecutionState.builder()
                .namespaceId(namespaceId)
                .workflowId(workflowId)
                .runId(UUID.randomUUID().toString())
                .firstRunId(spec.firstRunId())
                .workflowType(spec.workflowType())
                .taskQueue(spec.taskQueue())
                .startRequestId(spec.requestId())
                .parent(parent)
                .closeCallback(callback)
                .timeouts(spec.taskTimeoutMillis(), runTimeoutMillis(spec.runTimeoutMillis(),
                        spec.executionTimeoutMillis()), spec.executionTimeoutMillis())
                .memo(spec.memo() != null && spec.memo().getFieldsCount() > 0 ? spec.memo().toByteArray() : null)
                .attempt(spec.attempt())
                .cronSchedule(spec.cronSchedule())
                .retryPolicy(spec.retryPolicy() != null ? spec.retryPolicy().toByteArray() : null)
                .executionExpirationMillis(spec.executionExpirationMillis())
                .build();
    }

    /** The run's first transition: its started event, run timeout, and first workflow task (or its backoff). */
    public static void begin(Mutation m, RunSpec spec, java.util.function.Consumer<Mutation> beforeFirstTask) {
        ExecutionState state = m.state;
        state.recordStart(m.now, spec.backoffMillis());
        WorkflowExecutionStartedEventAttributes.Builder started = WorkflowExecutionStartedEventAttributes.newBuilder()
                .setWorkflowType(WorkflowType.newBuilder().setName(spec.workflowType()))
                .setTaskQueue(TaskQueue.newBuilder().setName(spec.taskQueue()).setKind(TaskQueueKind.TASK_QUEUE_KIND_NORMAL))
                .setWorkflowExecutionTimeout(Durations.fromMillis(state.executionTimeoutMillis()))
                .setWorkflowRunTimeout(Durations.fromMillis(state.runTimeoutMillis()))
                .setWorkflowTaskTimeout(Durations.fromMillis(state.workflowTaskTimeoutMillis()))
                .setIdentity(spec.identity() == null ? "" : spec.identity())
                .setOriginalExecutionRunId(state.runId())
                .setFirstExecutionRunId(state.firstRunId())
                .setAttempt(spec.attempt())
                .setWorkflowId(state.workflowId())
                .setCronSchedule(state.cronSchedule())
                .setFirstWorkflowTaskBackoff(Durations.fromMillis(spec.backoffMillis()));
        if (spec.input() != null) {
            started.setInput(spec.input());
        }
        if (spec.header() != null) {
            started.setHeader(spec.header());
        }
        if (spec.memo() != null) {
            started.setMemo(spec.memo());
        }
        if (spec.searchAttributes() != null) {
            // The event keeps the names the client sent (what the workflow saw, so replay sees it too); the state
            // keeps values by field, so a rename carries them.
            started.setSearchAttributes(spec.searchAttributes());
            if (spec.searchAttributes().getIndexedFieldsCount() > 0) {
                state.keepSearchAttributes(m.searchAttributes.toFields(spec.searchAttributes()));
            }
        }
        if (spec.retryPolicy() != null) {
            started.setRetryPolicy(spec.retryPolicy());
        }
        if (spec.continuedFromRunId() != null) {
            started.setContinuedExecutionRunId(spec.continuedFromRunId()).setInitiator(spec.initiator());
        }
        if (spec.continuedFailure() != null) {
            started.setContinuedFailure(spec.continuedFailure());
        }
        if (spec.lastCompletionResult() != null) {
            started.setLastCompletionResult(spec.lastCompletionResult());
        }
        ResetPoints carried = AutoResetPoints.of(state);
        if (carried != null) {
            started.setPrevAutoResetPoints(carried);
        }
        if (state.parent() != null) {
            started.setParentWorkflowNamespace(state.parent().namespace())
                    .setParentWorkflowNamespaceId(state.parent().namespaceId())
                    .setParentWorkflowExecution(io.temporal.api.common.v1.WorkflowExecution.newBuilder()
                            .setWorkflowId(state.parent().workflowId()).setRunId(state.parent().runId()))
                    .setParentInitiatedEventId(state.parent().initiatedEventId());
            if (state.parent().rootWorkflowId() != null) {
                started.setRootWorkflowExecution(io.temporal.api.common.v1.WorkflowExecution.newBuilder()
                        .setWorkflowId(state.parent().rootWorkflowId()).setRunId(state.parent().rootRunId()));
            }
        }
        if (state.executionExpirationMillis() > 0) {
            started.setWorkflowExecutionExpirationTime(Timestamps.fromMillis(state.executionExpirationMillis()));
        }
        m.append(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED, e -> e.setWorkflowExecutionStartedEventAttributes(started));
        beforeFirstTask.accept(m);
        WorkflowLifecycle.armRunTimeout(m, spec.backoffMillis());
        if (spec.backoffMillis() > 0) {
            state.setBackoffTimer(m.armRunTimer(TimerTask.Kind.WORKFLOW_BACKOFF, m.now + spec.backoffMillis()));
        } else {
            WorkflowTasks.schedule(m);
        }
    }

    /** The backoff before a run's first workflow task (start delay, cron, retry) is over. */
    static void onBackoff(Mutation m, TimerTask timer) {
        if (m.state.isRunning() && timer.ref().equals(m.state.backoffTimer())) {
            m.state.setBackoffTimer(null);
            if (m.state.workflowTask() == null) {
                WorkflowTasks.schedule(m);
            }
        }
    }
}
