package dev.aeon.dataplane.history.run;

import dev.aeon.dataplane.history.state.NexusOperationState;
import dev.aeon.dataplane.history.state.UserTimerState;
import dev.aeon.dataplane.history.state.ActivityState;
import dev.aeon.dataplane.history.state.WorkflowTaskState;
import dev.aeon.dataplane.history.activity.Activities;
import dev.aeon.dataplane.history.engine.Mutation;
import dev.aeon.dataplane.history.state.ActivityInfo;
import dev.aeon.dataplane.history.state.ExecutionState;
import dev.aeon.dataplane.history.state.TimerTask;
import dev.aeon.dataplane.matching.DispatchTask;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;

/** How a run closes, whatever closed it (its own command, a timeout, a termination). */
public final class RunClose {

    private RunClose() {
    }

    /**
     * Closes the run: nothing of it stays queued or armed. Its activities, timers and workflow task are dropped
     * with their rows; the current-run pointer records the new status.
     */
    public static void close(Mutation m, WorkflowExecutionStatus status) {
        ExecutionState state = m.state;
        state.close(status.getNumber(), m.now);
        for (ActivityInfo activity : java.util.List.copyOf(state.activities().values())) {
            if (activity.state() == ActivityState.SCHEDULED) {
                m.completeTransferTask(activity.transferTaskId()); // still queued for a worker
            }
            Activities.clearTimers(m, activity);
            state.endActivity(activity.scheduledEventId(), ActivityState.DROPPED);
        }
        for (String timerId : java.util.List.copyOf(state.timers().keySet())) {
            m.completeTimer(state.endTimer(timerId, UserTimerState.DROPPED).timer());
        }
        if (state.workflowTask() != null) {
            if (state.workflowTask().state() == WorkflowTaskState.SCHEDULED) {
                m.completeTransferTask(state.workflowTask().transferTaskId()); // still queued for a worker
            }
            m.completeTimer(state.workflowTask().timer());
            state.endWorkflowTask(WorkflowTaskState.DROPPED);
        }
        // Nexus operations still under way are abandoned, as Temporal leaves them: a completion arriving later finds
        // no operation and is dropped.
        for (var operation : java.util.List.copyOf(state.nexusOperations().values())) {
            m.completeTimer(operation.scheduleToCloseTimer());
            m.completeTimer(operation.scheduleToStartTimer());
            m.completeTimer(operation.startToCloseTimer());
            m.completeTimer(operation.backoffTimer());
            m.completeTimer(operation.cancelBackoffTimer());
            state.endNexusOperation(operation.scheduledEventId(), NexusOperationState.DROPPED);
        }
        m.completeTimer(state.runTimeoutTimer());
        state.setRunTimeoutTimer(null);
        m.completeTimer(state.backoffTimer());
        state.setBackoffTimer(null);
        m.currentRunChanged = true;
        // Children left running follow their parent close policy (terminate by default); kept in state for that.
        state.children().forEach((initiatedEventId, child) -> {
            if (child.parentClosePolicy() != io.temporal.api.enums.v1.ParentClosePolicy.PARENT_CLOSE_POLICY_ABANDON_VALUE) {
                m.addCrossWorkflowTask(DispatchTask.Kind.PARENT_CLOSE_POLICY, initiatedEventId);
            }
        });
        if (state.parent() != null && m.successor == null) {
            // A run followed by another (continue-as-new, retry, cron) leaves the reporting to the last one.
            m.addCrossWorkflowTask(DispatchTask.Kind.CHILD_CLOSED, 0);
        }
        if (state.closeCallback() != null && m.successor == null) {
            m.addCrossWorkflowTask(DispatchTask.Kind.CLOSE_CALLBACK, 0);
        }
        if (!state.completionCallbacks().isEmpty() && m.successor == null) {
            m.addCrossWorkflowTask(DispatchTask.Kind.NEXUS_COMPLETION, 0);
        }
        // Closed runs stay readable (history, describe, queries) for the namespace's retention, then go.
        state.setRetentionTimer(m.armRunTimer(TimerTask.Kind.DELETE_CLOSED_RUN, m.now + m.retentionMillis));
    }
}
