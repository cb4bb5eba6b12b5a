package dev.aeon.dataplane.history;

import com.google.protobuf.util.Durations;
import dev.aeon.dataplane.frontend.ApiErrors;
import dev.aeon.dataplane.history.ExecutionState.ActivityInfo;
import dev.aeon.dataplane.matching.DispatchTask;
import io.temporal.api.command.v1.Command;
import io.temporal.api.command.v1.ScheduleActivityTaskCommandAttributes;
import io.temporal.api.common.v1.RetryPolicy;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.RetryState;
import io.temporal.api.enums.v1.TaskQueueKind;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.history.v1.ActivityTaskScheduledEventAttributes;
import io.temporal.api.history.v1.HistoryEvent;
import jakarta.enterprise.context.ApplicationScoped;

/** Applies a workflow task's commands to the run, each recording its events and tasks in the mutation. */
@ApplicationScoped
public class Commands {

    void apply(Mutation m, Command command, long workflowTaskCompletedEventId) {
        switch (command.getCommandType()) {
            case COMMAND_TYPE_SCHEDULE_ACTIVITY_TASK ->
                    scheduleActivity(m, command.getScheduleActivityTaskCommandAttributes(), workflowTaskCompletedEventId);
            case COMMAND_TYPE_COMPLETE_WORKFLOW_EXECUTION -> {
                m.append(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED,
                        e -> e.getWorkflowExecutionCompletedEventAttributesBuilder()
                                .setResult(command.getCompleteWorkflowExecutionCommandAttributes().getResult())
                                .setWorkflowTaskCompletedEventId(workflowTaskCompletedEventId));
                close(m, WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED);
            }
            case COMMAND_TYPE_FAIL_WORKFLOW_EXECUTION -> {
                m.append(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_FAILED,
                        e -> e.getWorkflowExecutionFailedEventAttributesBuilder()
                                .setFailure(command.getFailWorkflowExecutionCommandAttributes().getFailure())
                                .setRetryState(RetryState.RETRY_STATE_RETRY_POLICY_NOT_SET)
                                .setWorkflowTaskCompletedEventId(workflowTaskCompletedEventId));
                close(m, WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_FAILED);
            }
            default -> throw ApiErrors.invalidArgument("commands: " + command.getCommandType()
                    + " is not supported by this server yet");
        }
    }

    private static void scheduleActivity(Mutation m, ScheduleActivityTaskCommandAttributes command,
                                         long workflowTaskCompletedEventId) {
        Validation.requireId("ScheduleActivityTaskCommandAttributes.activity_id", command.getActivityId());
        Validation.requireId("ScheduleActivityTaskCommandAttributes.activity_type.name",
                command.getActivityType().getName());
        for (ActivityInfo pending : m.state.activities.values()) {
            if (pending.activityId.equals(command.getActivityId())) {
                throw ApiErrors.invalidArgument("ScheduleActivityTaskCommandAttributes.activity_id: activity id "
                        + command.getActivityId() + " is already in use by a pending activity");
            }
        }
        ActivityTaskScheduledEventAttributes attributes = ActivityTimeouts.normalize(command, m.state)
                .setWorkflowTaskCompletedEventId(workflowTaskCompletedEventId)
                .build();
        HistoryEvent scheduled = m.append(EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED,
                e -> e.setActivityTaskScheduledEventAttributes(attributes));
        ActivityInfo activity = new ActivityInfo();
        activity.scheduledEventId = scheduled.getEventId();
        activity.activityId = command.getActivityId();
        activity.scheduledAttributes = attributes.toByteArray();
        activity.scheduledTimeMillis = m.now;
        activity.currentAttemptScheduledTimeMillis = m.now;
        m.state.activities.put(activity.scheduledEventId, activity);
        m.addTransferTask(DispatchTask.Kind.ACTIVITY, attributes.getTaskQueue().getName(), activity.scheduledEventId,
                id -> activity.transferTaskId = id);
    }

    /** Closes the run: no more tasks for it; its activities' queued tasks are dropped. */
    static void close(Mutation m, WorkflowExecutionStatus status) {
        m.state.status = status.getNumber();
        m.state.closeTimeMillis = m.now;
        for (ActivityInfo activity : m.state.activities.values()) {
            if (!activity.started) {
                m.completeTransferTask(activity.transferTaskId);
            }
        }
        m.state.activities.clear();
        m.currentRunChanged = true;
    }

    /** Temporal's rules for an activity's timeouts and retry policy when the command leaves them out. */
    static final class ActivityTimeouts {

        private ActivityTimeouts() {
        }

        static ActivityTaskScheduledEventAttributes.Builder normalize(ScheduleActivityTaskCommandAttributes command,
                                                                       ExecutionState state) {
            long scheduleToClose = Durations.toMillis(command.getScheduleToCloseTimeout());
            long startToClose = Durations.toMillis(command.getStartToCloseTimeout());
            long scheduleToStart = Durations.toMillis(command.getScheduleToStartTimeout());
            long heartbeat = Durations.toMillis(command.getHeartbeatTimeout());
            if (scheduleToClose < 0 || startToClose < 0 || scheduleToStart < 0 || heartbeat < 0) {
                throw ApiErrors.invalidArgument("ScheduleActivityTaskCommandAttributes: timeouts must not be negative");
            }
            long runTimeout = state.runTimeoutMillis;
            if (scheduleToClose == 0 && startToClose == 0) {
                throw ApiErrors.invalidArgument("ScheduleActivityTaskCommandAttributes: a ScheduleToCloseTimeout "
                        + "or StartToCloseTimeout is required");
            }
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
            String taskQueue = command.getTaskQueue().getName().isEmpty() ? state.taskQueue
                    : command.getTaskQueue().getName();
            return ActivityTaskScheduledEventAttributes.newBuilder()
                    .setActivityId(command.getActivityId())
                    .setActivityType(command.getActivityType())
                    .setTaskQueue(io.temporal.api.taskqueue.v1.TaskQueue.newBuilder().setName(taskQueue)
                            .setKind(TaskQueueKind.TASK_QUEUE_KIND_NORMAL))
                    .setHeader(command.getHeader())
                    .setInput(command.getInput())
                    .setScheduleToCloseTimeout(Durations.fromMillis(scheduleToClose))
                    .setScheduleToStartTimeout(Durations.fromMillis(scheduleToStart))
                    .setStartToCloseTimeout(Durations.fromMillis(startToClose))
                    .setHeartbeatTimeout(Durations.fromMillis(heartbeat))
                    .setRetryPolicy(retryPolicy(command.getRetryPolicy()))
                    .setUseWorkflowBuildId(command.getUseWorkflowBuildId());
        }

        /** Fills Temporal's defaults: 1 s initial interval, coefficient 2, maximum 100× the initial interval. */
        static RetryPolicy retryPolicy(RetryPolicy requested) {
            RetryPolicy.Builder policy = requested.toBuilder();
            if (Durations.toMillis(policy.getInitialInterval()) <= 0) {
                policy.setInitialInterval(Durations.fromSeconds(1));
            }
            if (policy.getBackoffCoefficient() < 1) {
                policy.setBackoffCoefficient(2.0);
            }
            if (Durations.toMillis(policy.getMaximumInterval()) <= 0) {
                policy.setMaximumInterval(Durations.fromMillis(100 * Durations.toMillis(policy.getInitialInterval())));
            }
            return policy.build();
        }
    }
}
