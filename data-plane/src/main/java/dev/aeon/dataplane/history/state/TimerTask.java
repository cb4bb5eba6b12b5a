package dev.aeon.dataplane.history.state;

/**
 * A durable timer: a row in its workflow's shard partition that fires at {@code fireAtMillis}. What firing does
 * depends on the kind; a timer whose subject moved on (the task completed, the attempt changed) does nothing.
 *
 * @param subjectId   the workflow task's or activity's scheduled event id, or the user timer's started event id
 * @param attempt     the attempt the timer guards (workflow task or activity)
 * @param timeoutType {@code io.temporal.api.enums.v1.TimeoutType} number, for timeouts
 */
public record TimerTask(Kind kind, String namespaceId, String workflowId, String runId, long subjectId, int attempt,
                 int timeoutType, String timerId, int shardId, long taskId, long fireAtMillis) {

    public enum Kind { WORKFLOW_TASK_TIMEOUT, ACTIVITY_TIMEOUT, ACTIVITY_RETRY, USER_TIMER, WORKFLOW_RUN_TIMEOUT, WORKFLOW_BACKOFF, DELETE_CLOSED_RUN,
        /** A schedule's next action is due (a timer of its scheduler run). */
        SCHEDULE_WAKE,
        /** A Nexus operation's timeout (timeoutType: schedule-to-close, schedule-to-start or start-to-close). */
        NEXUS_OPERATION_TIMEOUT,
        /** A Nexus operation's next start request, or next cancel request, is due after a backoff. */
        NEXUS_OPERATION_BACKOFF, NEXUS_CANCEL_BACKOFF }

    /** What mutable state keeps to delete the row when its subject completes first. */
    public TimerRef ref() {
        return new TimerRef(taskId, fireAtMillis);
    }

    public record TimerRef(long taskId, long fireAtMillis) {
    }
}
