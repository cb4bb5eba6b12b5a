package dev.aeon.dataplane.history.run;

import com.google.protobuf.util.Durations;
import dev.aeon.dataplane.history.engine.Mutation;
import dev.aeon.dataplane.history.rules.CommandRejected;
import dev.aeon.dataplane.history.rules.PresentFields;
import dev.aeon.dataplane.history.rules.Validation;
import dev.aeon.dataplane.history.run.NewRuns;
import dev.aeon.dataplane.history.state.ExecutionState;
import dev.aeon.dataplane.history.state.StoredProtos;
import io.temporal.api.command.v1.ContinueAsNewWorkflowExecutionCommandAttributes;
import io.temporal.api.common.v1.RetryPolicy;
import io.temporal.api.enums.v1.ContinueAsNewInitiator;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.TaskQueueKind;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.enums.v1.WorkflowTaskFailedCause;
import io.temporal.api.taskqueue.v1.TaskQueue;

/** The ContinueAsNewWorkflowExecution command: this run closes and its successor starts, in one transition. */
public final class ContinueAsNew {

    private ContinueAsNew() {
    }

    /**
     * Closes the run as continued-as-new and starts its successor in the same transition: the chain of runs has
     * no moment where neither exists. Unset options carry over from the closing run.
     */
    public static void apply(Mutation m, ContinueAsNewWorkflowExecutionCommandAttributes command,
                                      long completedEventId) {
        ExecutionState previous = m.state;
        WorkflowTaskFailedCause bad = WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_BAD_CONTINUE_AS_NEW_ATTRIBUTES;
        if (Durations.toMillis(command.getWorkflowRunTimeout()) < 0 || Durations.toMillis(command.getBackoffStartInterval()) < 0) {
            throw new CommandRejected(bad, "a timeout or backoff on ContinueAsNewWorkflowExecutionCommand is negative");
        }
        String workflowType = command.getWorkflowType().getName().isEmpty() ? previous.workflowType()
                : command.getWorkflowType().getName();
        String taskQueue = Validation.commandTaskQueue(command.getTaskQueue(), previous.taskQueue(), bad);
        long runTimeout = Durations.toMillis(command.getWorkflowRunTimeout()) > 0
                ? Durations.toMillis(command.getWorkflowRunTimeout()) : previous.runTimeoutMillis();
        long taskTimeout = Durations.toMillis(command.getWorkflowTaskTimeout()) > 0
                ? NewRuns.taskTimeoutMillis(command.getWorkflowTaskTimeout()) : previous.workflowTaskTimeoutMillis();
        RunSpec spec = RunSpec.builder(workflowType, taskQueue, java.util.UUID.randomUUID().toString())
                .input(PresentFields.orNull(command.hasInput(), command.getInput()))
                .header(PresentFields.orNull(command.hasHeader(), command.getHeader()))
                .memo(command.hasMemo() ? command.getMemo()
                        : StoredProtos.parse(previous.memo(), io.temporal.api.common.v1.Memo.parser()))
                .searchAttributes(command.hasSearchAttributes() ? command.getSearchAttributes()
                        : m.searchAttributes.toNames(StoredProtos.parse(previous.searchAttributes(),
                                io.temporal.api.common.v1.SearchAttributes.parser())))
                .retryPolicy(command.hasRetryPolicy() ? command.getRetryPolicy()
                        : StoredProtos.parse(previous.retryPolicy(), RetryPolicy.parser()))
                .cronSchedule(command.getCronSchedule().isEmpty() ? previous.cronSchedule() : command.getCronSchedule())
                .timeouts(previous.executionTimeoutMillis(), runTimeout, taskTimeout)
                .continues(previous.firstRunId(), previous.runId(),
                        command.getInitiator() == ContinueAsNewInitiator.CONTINUE_AS_NEW_INITIATOR_UNSPECIFIED
                                ? ContinueAsNewInitiator.CONTINUE_AS_NEW_INITIATOR_WORKFLOW : command.getInitiator())
                .backoffMillis(Durations.toMillis(command.getBackoffStartInterval()))
                .executionExpirationMillis(previous.executionExpirationMillis())
                .continuedFailure(command.hasFailure() ? command.getFailure() : null)
                .lastCompletionResult(command.hasLastCompletionResult() ? command.getLastCompletionResult() : null)
                .build();
        // The chain stays the parent's child; only its final run reports back.
        ExecutionState next = NewRuns.state(previous.namespaceId(), previous.workflowId(), spec, previous.parent(),
                previous.closeCallback());
        next.attachCompletionCallbacks(previous.completionCallbacks());
        Mutation successor = m.startSuccessor(next);
        m.append(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW,
                e -> PresentFields.copy(command, e.getWorkflowExecutionContinuedAsNewEventAttributesBuilder())
                        .setNewExecutionRunId(next.runId())
                        .setWorkflowType(io.temporal.api.common.v1.WorkflowType.newBuilder().setName(workflowType))
                        .setTaskQueue(TaskQueue.newBuilder().setName(taskQueue).setKind(TaskQueueKind.TASK_QUEUE_KIND_NORMAL))
                        .setWorkflowRunTimeout(Durations.fromMillis(runTimeout))
                        .setWorkflowTaskTimeout(Durations.fromMillis(taskTimeout))
                        .setWorkflowTaskCompletedEventId(completedEventId));
        RunClose.close(m, WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_CONTINUED_AS_NEW);
        NewRuns.begin(successor, spec, s -> { });
    }
}
