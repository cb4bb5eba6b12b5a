package dev.aeon.dataplane.history.reset;

import dev.aeon.dataplane.history.state.StoredProtos;
import dev.aeon.dataplane.history.state.ExecutionState;
import dev.aeon.dataplane.errors.ApiErrors;
import dev.aeon.dataplane.history.state.ExecutionState.ActivityInfo;
import dev.aeon.dataplane.history.state.ExecutionState.UserTimerInfo;
import dev.aeon.dataplane.history.state.ExecutionState.WorkflowTaskInfo;
import io.temporal.api.common.v1.Memo;
import io.temporal.api.common.v1.SearchAttributes;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.history.v1.HistoryEvent;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Derives a run's mutable state from a prefix of its history, for a reset: what the workflow had pending (workflow
 * task, activities, timers), which updates it accepted or completed, which signals it got, its memo and search
 * attributes. Only what such a prefix can hold is supported; anything else (a child or an external request still
 * pending, an event this builder does not know) is refused as INVALID_ARGUMENT naming it, rather than rebuilt
 * wrongly. Durable timers and transfer tasks are not made here: the caller arms them for the new run.
 */
final class StateRebuilder {

    private StateRebuilder() {
    }

    /**
     * The state of a new run of {@code base}'s workflow whose history is {@code events} (from event 1, in order).
     * Properties fixed for a whole run (type, queue, timeouts, retry policy, parent) are taken from {@code base}.
     */
    static ExecutionState rebuild(ExecutionState base, List<HistoryEvent> events, String requestId) {
        ExecutionState state = new ExecutionState();
        state.namespaceId = base.namespaceId;
        state.workflowId = base.workflowId;
        state.runId = UUID.randomUUID().toString();
        state.firstRunId = base.firstRunId;
        state.workflowType = base.workflowType;
        state.taskQueue = base.taskQueue;
        state.startRequestId = requestId;
        state.attempt = base.attempt;
        state.cronSchedule = base.cronSchedule;
        state.retryPolicy = base.retryPolicy;
        state.executionExpirationMillis = base.executionExpirationMillis;
        state.parent = base.parent;
        state.status = WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING_VALUE;
        state.startTimeMillis = base.startTimeMillis;
        state.executionTimeMillis = base.executionTimeMillis;
        state.workflowTaskTimeoutMillis = base.workflowTaskTimeoutMillis;
        state.runTimeoutMillis = base.runTimeoutMillis;
        state.executionTimeoutMillis = base.executionTimeoutMillis;
        Set<Long> pendingChildren = new HashSet<>();
        Set<Long> pendingExternal = new HashSet<>();
        for (HistoryEvent event : events) {
            apply(state, event, pendingChildren, pendingExternal);
            state.nextEventId = event.getEventId() + 1;
            state.historySizeBytes += event.getSerializedSize();
        }
        if (!pendingChildren.isEmpty()) {
            throw unsupported("the child workflow initiated by event " + pendingChildren.iterator().next()
                    + " is still pending at that point");
        }
        if (!pendingExternal.isEmpty()) {
            throw unsupported("the signal or cancel request to another workflow initiated by event "
                    + pendingExternal.iterator().next() + " is still pending at that point");
        }
        for (ActivityInfo activity : state.activities.values()) {
            if (activity.started) {
                throw unsupported("activity " + activity.activityId + " is running at that point");
            }
        }
        return state;
    }

    private static void apply(ExecutionState state, HistoryEvent event, Set<Long> pendingChildren,
                              Set<Long> pendingExternal) {
        switch (event.getEventType()) {
            case EVENT_TYPE_WORKFLOW_EXECUTION_STARTED -> {
                var started = event.getWorkflowExecutionStartedEventAttributes();
                state.memo = started.hasMemo() && started.getMemo().getFieldsCount() > 0
                        ? started.getMemo().toByteArray() : null;
                state.searchAttributes = started.hasSearchAttributes()
                        && started.getSearchAttributes().getIndexedFieldsCount() > 0
                        ? started.getSearchAttributes().toByteArray() : null;
            }
            case EVENT_TYPE_WORKFLOW_TASK_SCHEDULED -> {
                WorkflowTaskInfo task = new WorkflowTaskInfo();
                task.scheduledEventId = event.getEventId();
                task.attempt = Math.max(1, event.getWorkflowTaskScheduledEventAttributes().getAttempt());
                task.taskQueue = state.taskQueue;
                task.scheduledTimeMillis = millis(event);
                state.workflowTask = task;
            }
            case EVENT_TYPE_WORKFLOW_TASK_STARTED -> {
                WorkflowTaskInfo task = state.workflowTask;
                if (task == null) {
                    throw unsupported("event " + event.getEventId() + " starts a workflow task that was not scheduled");
                }
                task.startedEventId = event.getEventId();
                task.startedTimeMillis = millis(event);
                task.requestId = event.getWorkflowTaskStartedEventAttributes().getRequestId();
                task.startedIdentity = event.getWorkflowTaskStartedEventAttributes().getIdentity();
            }
            case EVENT_TYPE_WORKFLOW_TASK_COMPLETED -> {
                state.lastCompletedWorkflowTaskStartedEventId =
                        event.getWorkflowTaskCompletedEventAttributes().getStartedEventId();
                state.workflowTask = null;
            }
            case EVENT_TYPE_WORKFLOW_TASK_FAILED, EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT -> state.workflowTask = null;
            case EVENT_TYPE_ACTIVITY_TASK_SCHEDULED -> {
                var scheduled = event.getActivityTaskScheduledEventAttributes();
                ActivityInfo activity = new ActivityInfo();
                activity.scheduledEventId = event.getEventId();
                activity.activityId = scheduled.getActivityId();
                activity.scheduledAttributes = scheduled.toByteArray();
                activity.scheduledTimeMillis = millis(event);
                state.activities.put(activity.scheduledEventId, activity);
            }
            case EVENT_TYPE_ACTIVITY_TASK_STARTED -> {
                ActivityInfo activity = state.activities.get(event.getActivityTaskStartedEventAttributes()
                        .getScheduledEventId());
                if (activity != null) {
                    activity.started = true;
                }
            }
            case EVENT_TYPE_ACTIVITY_TASK_CANCEL_REQUESTED -> {
                ActivityInfo activity = state.activities.get(event.getActivityTaskCancelRequestedEventAttributes()
                        .getScheduledEventId());
                if (activity != null) {
                    activity.cancelRequested = true;
                    activity.cancelRequestedEventId = event.getEventId();
                }
            }
            case EVENT_TYPE_ACTIVITY_TASK_COMPLETED -> state.activities.remove(
                    event.getActivityTaskCompletedEventAttributes().getScheduledEventId());
            case EVENT_TYPE_ACTIVITY_TASK_FAILED -> state.activities.remove(
                    event.getActivityTaskFailedEventAttributes().getScheduledEventId());
            case EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT -> state.activities.remove(
                    event.getActivityTaskTimedOutEventAttributes().getScheduledEventId());
            case EVENT_TYPE_ACTIVITY_TASK_CANCELED -> state.activities.remove(
                    event.getActivityTaskCanceledEventAttributes().getScheduledEventId());
            case EVENT_TYPE_TIMER_STARTED -> {
                UserTimerInfo timer = new UserTimerInfo();
                timer.timerId = event.getTimerStartedEventAttributes().getTimerId();
                timer.startedEventId = event.getEventId();
                state.timers.put(timer.timerId, timer);
            }
            case EVENT_TYPE_TIMER_FIRED -> state.timers.remove(event.getTimerFiredEventAttributes().getTimerId());
            case EVENT_TYPE_TIMER_CANCELED -> state.timers.remove(event.getTimerCanceledEventAttributes().getTimerId());
            case EVENT_TYPE_MARKER_RECORDED -> {
                // a marker (side effect, version, local activity) changes nothing the server tracks
            }
            case EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED -> {
                String requestId = event.getWorkflowExecutionSignaledEventAttributes().getRequestId();
                if (!requestId.isEmpty()) {
                    state.signalRequestIds.add(requestId);
                }
            }
            case EVENT_TYPE_WORKFLOW_EXECUTION_CANCEL_REQUESTED -> state.cancelRequested = true;
            case EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ADMITTED -> state.admittedUpdates.put(
                    event.getWorkflowExecutionUpdateAdmittedEventAttributes().getRequest().getMeta().getUpdateId(),
                    event.getEventId());
            case EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED -> {
                String updateId = event.getWorkflowExecutionUpdateAcceptedEventAttributes().getProtocolInstanceId();
                state.admittedUpdates.remove(updateId);
                state.acceptedUpdates.put(updateId, event.getEventId());
            }
            case EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED -> {
                String updateId = event.getWorkflowExecutionUpdateCompletedEventAttributes().getMeta().getUpdateId();
                state.acceptedUpdates.remove(updateId);
                state.completedUpdates.put(updateId, event.getEventId());
            }
            case EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES -> {
                SearchAttributes.Builder merged = state.searchAttributes == null ? SearchAttributes.newBuilder()
                        : StoredProtos.parse(state.searchAttributes, SearchAttributes.parser()).toBuilder();
                state.searchAttributes = merged.putAllIndexedFields(event.getUpsertWorkflowSearchAttributesEventAttributes()
                        .getSearchAttributes().getIndexedFieldsMap()).build().toByteArray();
            }
            case EVENT_TYPE_WORKFLOW_PROPERTIES_MODIFIED -> {
                Memo.Builder merged = state.memo == null ? Memo.newBuilder()
                        : StoredProtos.parse(state.memo, Memo.parser()).toBuilder();
                state.memo = merged.putAllFields(event.getWorkflowPropertiesModifiedEventAttributes().getUpsertedMemo()
                        .getFieldsMap()).build().toByteArray();
            }
            case EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED -> pendingChildren.add(event.getEventId());
            case EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_STARTED -> {
                // still pending until it closes
            }
            case EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_FAILED -> pendingChildren.remove(
                    event.getStartChildWorkflowExecutionFailedEventAttributes().getInitiatedEventId());
            case EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_COMPLETED -> pendingChildren.remove(
                    event.getChildWorkflowExecutionCompletedEventAttributes().getInitiatedEventId());
            case EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_FAILED -> pendingChildren.remove(
                    event.getChildWorkflowExecutionFailedEventAttributes().getInitiatedEventId());
            case EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_CANCELED -> pendingChildren.remove(
                    event.getChildWorkflowExecutionCanceledEventAttributes().getInitiatedEventId());
            case EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_TIMED_OUT -> pendingChildren.remove(
                    event.getChildWorkflowExecutionTimedOutEventAttributes().getInitiatedEventId());
            case EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_TERMINATED -> pendingChildren.remove(
                    event.getChildWorkflowExecutionTerminatedEventAttributes().getInitiatedEventId());
            case EVENT_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED,
                 EVENT_TYPE_REQUEST_CANCEL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED -> pendingExternal.add(event.getEventId());
            case EVENT_TYPE_EXTERNAL_WORKFLOW_EXECUTION_SIGNALED -> pendingExternal.remove(
                    event.getExternalWorkflowExecutionSignaledEventAttributes().getInitiatedEventId());
            case EVENT_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_FAILED -> pendingExternal.remove(
                    event.getSignalExternalWorkflowExecutionFailedEventAttributes().getInitiatedEventId());
            case EVENT_TYPE_EXTERNAL_WORKFLOW_EXECUTION_CANCEL_REQUESTED -> pendingExternal.remove(
                    event.getExternalWorkflowExecutionCancelRequestedEventAttributes().getInitiatedEventId());
            case EVENT_TYPE_REQUEST_CANCEL_EXTERNAL_WORKFLOW_EXECUTION_FAILED -> pendingExternal.remove(
                    event.getRequestCancelExternalWorkflowExecutionFailedEventAttributes().getInitiatedEventId());
            default -> throw unsupported("event " + event.getEventId() + " (" + event.getEventType()
                    + ") cannot be rebuilt into a running workflow");
        }
    }

    private static long millis(HistoryEvent event) {
        return com.google.protobuf.util.Timestamps.toMillis(event.getEventTime());
    }

    private static RuntimeException unsupported(String why) {
        return ApiErrors.invalidArgument("workflow_task_finish_event_id: cannot reset to this point: " + why);
    }
}
