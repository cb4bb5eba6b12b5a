package dev.aeon.dataplane.history.activity;

import dev.aeon.dataplane.history.state.ActivityState;
import com.google.protobuf.util.Durations;
import dev.aeon.dataplane.history.activity.Activities;
import dev.aeon.dataplane.history.engine.Mutation;
import dev.aeon.dataplane.history.rules.CommandRejected;
import dev.aeon.dataplane.history.rules.Limits;
import dev.aeon.dataplane.history.rules.PresentFields;
import dev.aeon.dataplane.history.rules.RetryPolicies;
import dev.aeon.dataplane.history.rules.Validation;
import dev.aeon.dataplane.history.state.ActivityInfo;
import dev.aeon.dataplane.history.state.ExecutionState;
import io.temporal.api.command.v1.ScheduleActivityTaskCommandAttributes;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.TaskQueueKind;
import io.temporal.api.enums.v1.WorkflowTaskFailedCause;
import io.temporal.api.history.v1.ActivityTaskScheduledEventAttributes;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.taskqueue.v1.TaskQueue;

/**
 * The workflow's commands for activities: schedule one (with Temporal's defaults for the timeouts and retry policy
 * it leaves out) and request its cancellation.
 */
public final class ActivityCommands {

    /** Temporal's per-run limit on pending activities. */
    static final int MAX_PENDING_ACTIVITIES = 2000;

    private ActivityCommands() {
    }

    public static void schedule(Mutation m, ScheduleActivityTaskCommandAttributes command,
                                         long completedEventId) {
        WorkflowTaskFailedCause bad = WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_BAD_SCHEDULE_ACTIVITY_ATTRIBUTES;
        if (command.getActivityId().isEmpty() || command.getActivityId().length() > Validation.MAX_ID_LENGTH) {
            throw new CommandRejected(bad, "ActivityId is not set or too long on ScheduleActivityTaskCommand");
        }
        if (command.getActivityType().getName().isEmpty()) {
            throw new CommandRejected(bad, "ActivityType is not set on ScheduleActivityTaskCommand");
        }
        Limits.checkPayloads(command.getInput().getPayloadsList(), bad);
        if (m.state.activities().size() >= MAX_PENDING_ACTIVITIES) {
            throw new CommandRejected(WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_PENDING_ACTIVITIES_LIMIT_EXCEEDED,
                    "the run has " + MAX_PENDING_ACTIVITIES + " pending activities, the limit");
        }
        for (ActivityInfo pending : m.state.activities().values()) {
            if (pending.activityId().equals(command.getActivityId())) {
                throw new CommandRejected(WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_SCHEDULE_ACTIVITY_DUPLICATE_ID,
                        "activity id " + command.getActivityId() + " is already in use by a pending activity");
            }
        }
        ActivityTaskScheduledEventAttributes attributes = normalize(command, m.state)
                .setWorkflowTaskCompletedEventId(completedEventId)
                .build();
        HistoryEvent scheduled = m.append(EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED,
                e -> e.setActivityTaskScheduledEventAttributes(attributes));
        ActivityInfo activity = ActivityInfo.scheduled(scheduled.getEventId(), command.getActivityId(),
                attributes.toByteArray(), m.now);
        m.state.addActivity(activity);
        Activities.dispatch(m, activity);
        if (command.getRequestEagerExecution()) {
            m.eagerActivities.add(activity);
        }
    }

    /**
     * A queued activity is canceled at once; a running one is told through its heartbeat and reports back with
     * RespondActivityTaskCanceled.
     */
    public static void requestCancel(Mutation m, long scheduledEventId, long completedEventId) {
        ActivityInfo activity = m.state.activities().get(scheduledEventId);
        if (activity == null) {
            throw new CommandRejected(
                    WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_BAD_REQUEST_CANCEL_ACTIVITY_ATTRIBUTES,
                    "no pending activity was scheduled by event " + scheduledEventId);
        }
        HistoryEvent requested = m.append(EventType.EVENT_TYPE_ACTIVITY_TASK_CANCEL_REQUESTED,
                e -> e.getActivityTaskCancelRequestedEventAttributesBuilder()
                        .setScheduledEventId(scheduledEventId)
                        .setWorkflowTaskCompletedEventId(completedEventId));
        activity.requestCancel(requested.getEventId());
        if (activity.state() != ActivityState.STARTED) {
            m.buffer(EventType.EVENT_TYPE_ACTIVITY_TASK_CANCELED, e -> e.getActivityTaskCanceledEventAttributesBuilder()
                    .setScheduledEventId(scheduledEventId)
                    .setLatestCancelRequestedEventId(requested.getEventId()));
            if (activity.state() == ActivityState.SCHEDULED) {
                m.completeTransferTask(activity.transferTaskId()); // still queued for a worker
            }
            Activities.clearTimers(m, activity);
            m.state.endActivity(scheduledEventId, ActivityState.CANCELED);
            m.newWorkflowTaskNeeded = true;
        }
    }

    /** Temporal's rules for an activity's timeouts when the command leaves them out. */
    private static ActivityTaskScheduledEventAttributes.Builder normalize(ScheduleActivityTaskCommandAttributes command,
                                                                   ExecutionState state) {
        WorkflowTaskFailedCause bad = WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_BAD_SCHEDULE_ACTIVITY_ATTRIBUTES;
        long scheduleToClose = Durations.toMillis(command.getScheduleToCloseTimeout());
        long startToClose = Durations.toMillis(command.getStartToCloseTimeout());
        long scheduleToStart = Durations.toMillis(command.getScheduleToStartTimeout());
        long heartbeat = Durations.toMillis(command.getHeartbeatTimeout());
        if (scheduleToClose < 0 || startToClose < 0 || scheduleToStart < 0 || heartbeat < 0) {
            throw new CommandRejected(bad, "a timeout on ScheduleActivityTaskCommand is negative");
        }
        if (scheduleToClose == 0 && startToClose == 0) {
            throw new CommandRejected(bad, "A valid StartToClose or ScheduleToCloseTimeout is not set on "
                    + "ScheduleActivityTaskCommand");
        }
        long runTimeout = state.runTimeoutMillis();
        if (scheduleToClose == 0 || (runTimeout > 0 && scheduleToClose > runTimeout)) {
            scheduleToClose = runTimeout;
        }
        if (startToClose == 0 || (scheduleToClose > 0 && startToClose > scheduleToClose)) {
            startToClose = scheduleToClose;
        }
        if (scheduleToStart == 0 || (scheduleToClose > 0 && scheduleToStart > scheduleToClose)) {
            scheduleToStart = scheduleToClose;
        }
        if (scheduleToClose > 0 && heartbeat > scheduleToClose) {
            heartbeat = scheduleToClose;
        }
        String taskQueue = Validation.commandTaskQueue(command.getTaskQueue(), state.taskQueue(), bad);
        return PresentFields.copy(command, ActivityTaskScheduledEventAttributes.newBuilder())
                .setTaskQueue(TaskQueue.newBuilder().setName(taskQueue).setKind(TaskQueueKind.TASK_QUEUE_KIND_NORMAL))
                .setScheduleToCloseTimeout(Durations.fromMillis(scheduleToClose))
                .setScheduleToStartTimeout(Durations.fromMillis(scheduleToStart))
                .setStartToCloseTimeout(Durations.fromMillis(startToClose))
                .setHeartbeatTimeout(Durations.fromMillis(heartbeat))
                .setRetryPolicy(RetryPolicies.withDefaults(command.getRetryPolicy()));
    }
}
