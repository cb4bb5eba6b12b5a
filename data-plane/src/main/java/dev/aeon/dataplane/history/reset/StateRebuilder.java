package dev.aeon.dataplane.history.reset;

import dev.aeon.dataplane.history.state.ActivityState;
import dev.aeon.dataplane.history.state.ExecutionState;
import dev.aeon.dataplane.history.state.UserTimerState;
import dev.aeon.dataplane.history.state.WorkflowTaskState;
import dev.aeon.dataplane.errors.ApiErrors;
import dev.aeon.dataplane.history.state.ActivityInfo;
import dev.aeon.dataplane.history.state.UserTimerInfo;
import dev.aeon.dataplane.history.state.WorkflowTaskInfo;
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
        var started = events.get(0).getWorkflowExecutionStartedEventAttributes();
        ExecutionState state = ExecutionState.builder()
                .namespaceId(base.namespaceId())
                .workflowId(base.workflowId())
                .runId(UUID.randomUUID().toString())
                .firstRunId(base.firstRunId())
                .workflowType(base.workflowType())
                .taskQueue(base.taskQueue())
                .startRequestId(requestId)
                .attempt(base.attempt())
                .cronSchedule(base.cronSchedule())
                .retryPolicy(base.retryPolicy())
                .executionExpirationMillis(base.executionExpirationMillis())
                .parent(base.parent())
                .startTimes(base.startTimeMillis(), base.executionTimeMillis())
                .timeouts(base.workflowTaskTimeoutMillis(), base.runTimeoutMillis(), base.executionTimeoutMillis())
                .memo(started.hasMemo() && started.getMemo().getFieldsCount() > 0
                        ? started.getMemo().toByteArray() : null)
                .searchAttributes(started.hasSearchAttributes() && started.getSearchAttributes().getIndexedFieldsCount() > 0
                        ? started.getSearchAttributes().toByteArray() : null)
                .build();
        Set<Long> pendingChildren = new HashSet<>();
        Set<Long> pendingExternal = new HashSet<>();
        Set<Long> pendingNexus = new HashSet<>();
        for (HistoryEvent event : events) {
            if (state.takeEventId() != event.getEventId()) {
                throw new IllegalStateException("history of " + base.workflowId() + " skips before event "
                        + event.getEventId());
            }
            state.addHistoryBytes(event.getSerializedSize());
            if (!nexus(event, pendingNexus)) {
                apply(state, event, pendingChildren, pendingExternal);
            }
        }
        if (!pendingNexus.isEmpty()) {
            throw unsupported("the Nexus operation scheduled by event " + pendingNexus.iterator().next()
                    + " is still pending at that point");
        }
        if (!pendingChildren.isEmpty()) {
            throw unsupported("the child workflow initiated by event " + pendingChildren.iterator().next()
                    + " is still pending at that point");
        }
        if (!pendingExternal.isEmpty()) {
            throw unsupported("the signal or cancel request to another workflow initiated by event "
                    + pendingExternal.iterator().next() + " is still pending at that point");
        }
        for (ActivityInfo activity : state.activities().values()) {
            if (activity.started()) {
                throw unsupported("activity " + activity.activityId() + " is running at that point");
            }
        }
        return state;
    }

    private static void apply(ExecutionState state, HistoryEvent event, Set<Long> pendingChildren,
                              Set<Long> pendingExternal) {
        switch (event.getEventType()) {
            case EVENT_TYPE_WORKFLOW_EXECUTION_STARTED -> {
                // its memo and search attributes are the run's first (the builder took them)
            }
            case EVENT_TYPE_WORKFLOW_TASK_SCHEDULED -> {
                WorkflowTaskInfo task = WorkflowTaskInfo.toSchedule(
                        Math.max(1, event.getWorkflowTaskScheduledEventAttributes().getAttempt()), state.taskQueue(),
                        false, false, millis(event));
                task.scheduledAs(event.getEventId());
                state.scheduleWorkflowTask(task);
            }
            case EVENT_TYPE_WORKFLOW_TASK_STARTED -> {
                WorkflowTaskInfo task = state.workflowTask();
                if (task == null) {
                    throw unsupported("event " + event.getEventId() + " starts a workflow task that was not scheduled");
                }
                task.recordStart(state.runId(), millis(event), event.getWorkflowTaskStartedEventAttributes().getRequestId(),
                        event.getWorkflowTaskStartedEventAttributes().getIdentity());
                task.startedAs(event.getEventId());
            }
            case EVENT_TYPE_WORKFLOW_TASK_COMPLETED -> state.completeWorkflowTask();
            case EVENT_TYPE_WORKFLOW_TASK_FAILED -> state.endWorkflowTask(WorkflowTaskState.FAILED);
            case EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT -> state.endWorkflowTask(WorkflowTaskState.TIMED_OUT);
            case EVENT_TYPE_ACTIVITY_TASK_SCHEDULED -> {
                var scheduled = event.getActivityTaskScheduledEventAttributes();
                state.addActivity(ActivityInfo.scheduled(event.getEventId(), scheduled.getActivityId(),
                        scheduled.toByteArray(), millis(event)));
            }
            case EVENT_TYPE_ACTIVITY_TASK_STARTED -> {
                var started = event.getActivityTaskStartedEventAttributes();
                ActivityInfo activity = state.activity(started.getScheduledEventId());
                if (activity != null) {
                    activity.recordStart(state.runId(), millis(event), started.getIdentity(), started.getRequestId());
                }
            }
            case EVENT_TYPE_ACTIVITY_TASK_CANCEL_REQUESTED -> {
                ActivityInfo activity = state.activity(event.getActivityTaskCancelRequestedEventAttributes()
                        .getScheduledEventId());
                if (activity != null) {
                    activity.requestCancel(event.getEventId());
                }
            }
            case EVENT_TYPE_ACTIVITY_TASK_COMPLETED -> state.endActivity(
                    event.getActivityTaskCompletedEventAttributes().getScheduledEventId(), ActivityState.COMPLETED);
            case EVENT_TYPE_ACTIVITY_TASK_FAILED -> state.endActivity(
                    event.getActivityTaskFailedEventAttributes().getScheduledEventId(), ActivityState.FAILED);
            case EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT -> state.endActivity(
                    event.getActivityTaskTimedOutEventAttributes().getScheduledEventId(), ActivityState.TIMED_OUT);
            case EVENT_TYPE_ACTIVITY_TASK_CANCELED -> state.endActivity(
                    event.getActivityTaskCanceledEventAttributes().getScheduledEventId(), ActivityState.CANCELED);
            case EVENT_TYPE_TIMER_STARTED -> {
                // armed again once the new run begins
                state.addTimer(new UserTimerInfo(event.getTimerStartedEventAttributes().getTimerId(),
                        event.getEventId(), null));
            }
            case EVENT_TYPE_TIMER_FIRED -> state.endTimer(event.getTimerFiredEventAttributes().getTimerId(),
                    UserTimerState.FIRED);
            case EVENT_TYPE_TIMER_CANCELED -> state.endTimer(event.getTimerCanceledEventAttributes().getTimerId(),
                    UserTimerState.CANCELED);
            case EVENT_TYPE_MARKER_RECORDED -> {
                // a marker (side effect, version, local activity) changes nothing the server tracks
            }
            case EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED -> {
                String requestId = event.getWorkflowExecutionSignaledEventAttributes().getRequestId();
                if (!requestId.isEmpty()) {
                    state.recordSignalRequest(requestId, Integer.MAX_VALUE);
                }
            }
            case EVENT_TYPE_WORKFLOW_EXECUTION_CANCEL_REQUESTED -> state.requestCancel();
            case EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ADMITTED -> state.admitUpdate(
                    event.getWorkflowExecutionUpdateAdmittedEventAttributes().getRequest().getMeta().getUpdateId(),
                    event.getEventId());
            case EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED -> {
                String updateId = event.getWorkflowExecutionUpdateAcceptedEventAttributes().getProtocolInstanceId();
                state.acceptUpdate(updateId, event.getEventId());
            }
            case EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED -> {
                String updateId = event.getWorkflowExecutionUpdateCompletedEventAttributes().getMeta().getUpdateId();
                state.completeUpdate(updateId, event.getEventId());
            }
            case EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES -> {
                state.keepSearchAttributes(state.searchAttributesWith(event
                        .getUpsertWorkflowSearchAttributesEventAttributes().getSearchAttributes().getIndexedFieldsMap()));
            }
            case EVENT_TYPE_WORKFLOW_PROPERTIES_MODIFIED -> {
                state.keepMemo(state.memoWith(
                        event.getWorkflowPropertiesModifiedEventAttributes().getUpsertedMemo().getFieldsMap()));
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

    /**
     * A Nexus operation's event: tracked so a reset point with an operation still under way is refused (its
     * request would have to be sent again for the new run), as one with a pending child is. False for other events.
     */
    private static boolean nexus(HistoryEvent event, Set<Long> pending) {
        switch (event.getEventType()) {
            case EVENT_TYPE_NEXUS_OPERATION_SCHEDULED -> pending.add(event.getEventId());
            case EVENT_TYPE_NEXUS_OPERATION_COMPLETED ->
                    pending.remove(event.getNexusOperationCompletedEventAttributes().getScheduledEventId());
            case EVENT_TYPE_NEXUS_OPERATION_FAILED ->
                    pending.remove(event.getNexusOperationFailedEventAttributes().getScheduledEventId());
            case EVENT_TYPE_NEXUS_OPERATION_CANCELED ->
                    pending.remove(event.getNexusOperationCanceledEventAttributes().getScheduledEventId());
            case EVENT_TYPE_NEXUS_OPERATION_TIMED_OUT ->
                    pending.remove(event.getNexusOperationTimedOutEventAttributes().getScheduledEventId());
            case EVENT_TYPE_NEXUS_OPERATION_STARTED, EVENT_TYPE_NEXUS_OPERATION_CANCEL_REQUESTED,
                 EVENT_TYPE_NEXUS_OPERATION_CANCEL_REQUEST_COMPLETED,
                 EVENT_TYPE_NEXUS_OPERATION_CANCEL_REQUEST_FAILED -> {
            }
            default -> {
                return false;
            }
        }
        return true;
    }

    private static long millis(HistoryEvent event) {
        return com.google.protobuf.util.Timestamps.toMillis(event.getEventTime());
    }

    private static RuntimeException unsupported(String why) {
        return ApiErrors.invalidArgument("workflow_task_finish_event_id: cannot reset to this point: " + why);
    }
}
