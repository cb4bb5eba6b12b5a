package dev.aeon.dataplane.history.state;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The mutable state of one workflow run: everything needed to decide the next transition without reading its
 * history. Persisted whole with each transition (see the engine's StateCodec); Temporal payloads and attributes
 * inside it are kept as their protobuf bytes.
 */
public final class ExecutionState {

    public String namespaceId;
    public String workflowId;
    public String runId;
    public String firstRunId;
    public String workflowType;
    public String taskQueue;
    public String startRequestId;
    /** 1 for a first run; counts workflow retries. */
    public int attempt = 1;
    public String cronSchedule = "";
    /** The run's RetryPolicy bytes, null without one. */
    public byte[] retryPolicy;
    /** When the whole chain of runs must end (execution timeout), 0 for never. */
    public long executionExpirationMillis;
    /** Delay before the first workflow task (start delay, cron, retry backoff). */
    public TimerTask.TimerRef backoffTimer;
    /** Memo and search attributes as given at start (protobuf bytes), shown by describe. */
    public byte[] memo;
    public byte[] searchAttributes;
    /** {@code io.temporal.api.workflow.v1.ResetPoints} bytes ({@link AutoResetPoints}); null: none. */
    public byte[] autoResetPoints;
    /** {@code io.temporal.api.enums.v1.WorkflowExecutionStatus} number. */
    public int status;
    public long nextEventId = 1;
    /**
     * The txn id of the newest history batch this state commits: reads take no batch written after it, such as
     * one of a transition whose commit failed. 0 in states written before it was kept: no bound.
     */
    public long historyTxnId;
    /**
     * Cross-workflow tasks of this run not done yet (a closed parent's close policies, a child's report): the run
     * is deleted only once they are, since they read it.
     */
    public java.util.Set<Long> crossWorkflowTaskIds = new java.util.TreeSet<>();
    /** The timer that deletes the closed run when its retention ends; deleted with the run if that is sooner. */
    public TimerTask.TimerRef retentionTimer;
    /** A deletion of this run is under way (DeleteWorkflowExecution, its namespace's purge). */
    public boolean deleting;
    /** Bytes of history written so far, for the 50 MiB limit. */
    public long historySizeBytes;
    public long startTimeMillis;
    /**
     * When the run's first workflow task was due: the start plus its backoff (start delay, cron, retry), Temporal's
     * ExecutionTime. 0 in rows written before it was kept; read it through {@link #executionTimeMillis()}.
     */
    public long executionTimeMillis;
    public long closeTimeMillis;
    public long workflowTaskTimeoutMillis;
    public long runTimeoutMillis;
    public long executionTimeoutMillis;
    /** Started event id of the last completed workflow task: the SDK's previous_started_event_id. */
    public long lastCompletedWorkflowTaskStartedEventId;
    /** The scheduled or started workflow task, if any. */
    public WorkflowTaskInfo workflowTask;
    /** Pending activities by scheduled event id. */
    public Map<Long, ActivityInfo> activities = new TreeMap<>();
    /**
     * Events that happened while a workflow task was running (activity results, signals): written to history
     * when that task completes, so the worker's view and history never diverge mid-task.
     */
    public List<byte[]> bufferedEvents = new ArrayList<>();
    /** The parent that started this run as a child, null for a top-level run. */
    public ParentRef parent;
    /** Child workflows by their initiated event id. */
    public Map<Long, ChildInfo> children = new TreeMap<>();
    /** Signals and cancellations this run sent to other workflows, not yet acknowledged, by initiated event id. */
    public Map<Long, ExternalRequest> externalRequests = new TreeMap<>();
    /** Request ids of signals already applied, so a retried signal is not delivered twice. */
    public java.util.Set<String> signalRequestIds = new java.util.LinkedHashSet<>();
    /**
     * Updates admitted in history (a reset reapplies its base run's updates as UpdateAdmitted events) and not
     * accepted yet: update id to admitted event id. The worker learns of them from history, not from messages.
     */
    public Map<String, Long> admittedUpdates = new TreeMap<>();
    /** Updates accepted and not completed yet: update id to accepted event id. */
    public Map<String, Long> acceptedUpdates = new TreeMap<>();
    /** Completed updates: update id to completed event id, so a repeated update id gets the same outcome. */
    public Map<String, Long> completedUpdates = new TreeMap<>();
    /** User timers by timer id. */
    public Map<String, UserTimerInfo> timers = new TreeMap<>();
    public TimerTask.TimerRef runTimeoutTimer;
    public boolean cancelRequested;
    /** Sticky queue the last worker asked for; empty when none. */
    public String stickyTaskQueue = "";
    public long stickyScheduleToStartMillis;

    public static final class WorkflowTaskInfo {
        public long scheduledEventId;
        /** 0 while scheduled but not yet picked up by a worker. */
        public long startedEventId;
        public int attempt = 1;
        public String taskQueue;
        public long scheduledTimeMillis;
        public long startedTimeMillis;
        public long transferTaskId;
        public String requestId = "";
        public TimerTask.TimerRef timer;
        /** Dispatched to the last worker's sticky queue; its history then starts after the previous task. */
        public boolean sticky;
        /**
         * Scheduled only to deliver updates: its scheduled and started events are not in history yet. They take
         * the event ids {@code scheduledEventId} and {@code scheduledEventId + 1} when something must be written
         * (see Mutation.materializeSpeculativeTask); a task that only rejected updates leaves no trace.
         */
        public boolean speculative;
        /** The identity of the worker that started the task, for a speculative task's started event. */
        public String startedIdentity = "";

        /** SCHEDULED until a worker's poll records its start; the other states end the task. */
        public WorkflowTaskState state() {
            return startedEventId == 0 ? WorkflowTaskState.SCHEDULED : WorkflowTaskState.STARTED;
        }

        /** Checks that the task may go {@code to} next (the caller then records it). */
        public void checkMove(String runId, WorkflowTaskState to) {
            WorkflowTaskState.TRANSITIONS.check(runId, scheduledEventId, state(), to);
        }
    }

    public static final class ActivityInfo {
        public long scheduledEventId;
        /** True once a worker picked the current attempt up; its started event is written on completion. */
        public boolean started;
        public String activityId;
        public int attempt = 1;
        /** ActivityTaskScheduledEventAttributes bytes. */
        public byte[] scheduledAttributes;
        public long scheduledTimeMillis;
        public long currentAttemptScheduledTimeMillis;
        public long startedTimeMillis;
        public long transferTaskId;
        public String startedIdentity = "";
        public String startedRequestId = "";
        /** Payloads bytes of the last heartbeat, handed to the next attempt. */
        public byte[] heartbeatDetails;
        public long lastHeartbeatMillis;
        public boolean cancelRequested;
        public long cancelRequestedEventId;
        /** Failure bytes of the previous attempt, reported with the started event. */
        public byte[] lastFailure;
        public TimerTask.TimerRef scheduleToStartTimer;
        public TimerTask.TimerRef scheduleToCloseTimer;
        public TimerTask.TimerRef startToCloseTimer;
        public TimerTask.TimerRef heartbeatTimer;
        public TimerTask.TimerRef retryTimer;

        /** Derived from what is stored (a started attempt, an armed retry backoff), so rows keep their format. */
        public ActivityState state() {
            return started ? ActivityState.STARTED
                    : retryTimer != null ? ActivityState.BACKING_OFF : ActivityState.SCHEDULED;
        }

        /** Checks that the activity may go {@code to} next (the caller then records it). */
        public void checkMove(String runId, ActivityState to) {
            ActivityState.TRANSITIONS.check(runId, activityId, state(), to);
        }
    }

    /**
     * A child's parent, and the root of the tree it belongs to (the workflow no parent started), which Temporal
     * records on a child's started event and SDKs show as the root workflow. Rows written before the root was
     * kept have none; their children see the parent's parent's id as the root.
     */
    public record ParentRef(String namespaceId, String namespace, String workflowId, String runId,
                            long initiatedEventId, String rootWorkflowId, String rootRunId) {

        /** The reference a child of {@code parent} keeps, the root carried down the tree. */
        public static ParentRef of(ExecutionState parent, String namespace, long initiatedEventId) {
            ParentRef grandparent = parent.parent;
            String rootWorkflowId = grandparent == null ? parent.workflowId
                    : grandparent.rootWorkflowId() != null ? grandparent.rootWorkflowId() : grandparent.workflowId();
            String rootRunId = grandparent == null ? parent.runId
                    : grandparent.rootRunId() != null ? grandparent.rootRunId() : grandparent.runId();
            return new ParentRef(parent.namespaceId, namespace, parent.workflowId, parent.runId, initiatedEventId,
                    rootWorkflowId, rootRunId);
        }
    }

    public static final class ChildInfo {
        public String namespaceId;
        public String namespace;
        public String workflowId;
        public String workflowType;
        /** Set once the child's start is recorded in this run's history. */
        public String runId;
        public long startedEventId;
        /** {@code io.temporal.api.enums.v1.ParentClosePolicy} number. */
        public int parentClosePolicy;

        /** INITIATED until the child's run is recorded as started in the parent. */
        public ChildState state() {
            return runId == null ? ChildState.INITIATED : ChildState.STARTED;
        }

        /** Checks that the child may go {@code to} next (the caller then records it). */
        public void checkMove(String parentRunId, ChildState to) {
            ChildState.TRANSITIONS.check(parentRunId, workflowId, state(), to);
        }
    }

    public static final class ExternalRequest {
        public boolean cancel;
        public String namespaceId;
        public String namespace;
        public String workflowId;
        public String runId;
    }

    public static final class UserTimerInfo {
        public String timerId;
        public long startedEventId;
        public TimerTask.TimerRef timer;
    }

    /** Makes {@code task} the run's workflow task (SCHEDULED); a run has one at most. */
    public void scheduleWorkflowTask(WorkflowTaskInfo task) {
        if (workflowTask != null) {
            throw new Transitions.IllegalTransition("run " + runId + ": a workflow task is scheduled while task "
                    + workflowTask.scheduledEventId + " is " + workflowTask.state());
        }
        workflowTask = task;
    }

    /** Ends the run's workflow task {@code how} (a state its table allows next); returns the task. */
    public WorkflowTaskInfo endWorkflowTask(WorkflowTaskState how) {
        WorkflowTaskInfo task = workflowTask;
        if (task == null) {
            throw new Transitions.IllegalTransition("run " + runId + ": no workflow task to end " + how);
        }
        WorkflowTaskState.TRANSITIONS.check(runId, task.scheduledEventId, task.state(), how);
        workflowTask = null;
        return task;
    }

    /** Ends the pending activity {@code how} (a state its table allows next) and forgets it; returns it. */
    public ActivityInfo endActivity(long scheduledEventId, ActivityState how) {
        ActivityInfo activity = activities.get(scheduledEventId);
        if (activity == null) {
            throw new Transitions.IllegalTransition("run " + runId + ": no pending activity " + scheduledEventId
                    + " to end " + how);
        }
        ActivityState.TRANSITIONS.check(runId, activity.activityId, activity.state(), how);
        activities.remove(scheduledEventId);
        return activity;
    }

    /** Ends the child started by {@code initiatedEventId} {@code how}; returns it. */
    public ChildInfo endChild(long initiatedEventId, ChildState how) {
        ChildInfo child = children.get(initiatedEventId);
        if (child == null) {
            throw new Transitions.IllegalTransition("run " + runId + ": no pending child workflow initiated by event "
                    + initiatedEventId + " to end " + how);
        }
        ChildState.TRANSITIONS.check(runId, child.workflowId, child.state(), how);
        children.remove(initiatedEventId);
        return child;
    }

    /** Ends the workflow's timer {@code timerId} {@code how}; returns it. */
    public UserTimerInfo endTimer(String timerId, UserTimerState how) {
        UserTimerInfo timer = timers.get(timerId);
        if (timer == null) {
            throw new Transitions.IllegalTransition("run " + runId + ": no pending timer " + timerId + " to end " + how);
        }
        UserTimerState.TRANSITIONS.check(runId, timerId, UserTimerState.STARTED, how);
        timers.remove(timerId);
        return timer;
    }

    /** Temporal's ExecutionTime: when the first workflow task was due (the start time in older rows). */
    public long executionTimeMillis() {
        return executionTimeMillis > 0 ? executionTimeMillis : startTimeMillis;
    }

    public boolean isRunning() {
        return status == io.temporal.api.enums.v1.WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING_VALUE;
    }
}
