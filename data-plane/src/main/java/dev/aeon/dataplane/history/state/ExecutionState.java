package dev.aeon.dataplane.history.state;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The mutable state of one workflow run: everything needed to decide the next transition without reading its
 * history. Persisted whole with each transition (see the engine's StateCodec, which reads and writes these fields by
 * name, so a field's name is its storage format); Temporal payloads and attributes inside it are kept as their
 * protobuf bytes.
 *
 * <p>Fields are private. What a run is (its ids, type, queue, timeouts, parent) is fixed when it is built
 * ({@link #builder()}); what changes over its life changes through methods named for the event (a close, a
 * cancel request, a sticky queue), and each pending part (workflow task, activities, children, timers, updates,
 * signals sent) is read through a read-only view and changed only through its own add/end methods, which check
 * the lifecycle's transition table. The parts ({@link WorkflowTaskInfo}, {@link ActivityInfo}, {@link ChildInfo},
 * {@link UserTimerInfo}, {@link ExternalRequest}) keep their own fields private the same way.
 *
 * <p>Over 400 lines on purpose: it is one persisted record, and its accessors and named changes are the only way
 * in; splitting it would split the record (and its storage format) or scatter the changes that keep it consistent.
 */
public final class ExecutionState {

    // What the run is: set by the builder, never changed afterwards.
    private String namespaceId;
    private String workflowId;
    private String runId;
    private String firstRunId;
    private String workflowType;
    private String taskQueue;
    private String startRequestId;
    /** 1 for a first run; counts workflow retries. */
    private int attempt = 1;
    private String cronSchedule = "";
    /** The run's RetryPolicy bytes, null without one. */
    private byte[] retryPolicy;
    /** The parent that started this run as a child, null for a top-level run. */
    private ParentRef parent;
    /** Told when the chain of runs closes (the schedule that started it), null for none. */
    private CloseCallback closeCallback;
    private long workflowTaskTimeoutMillis;
    private long runTimeoutMillis;
    private long executionTimeoutMillis;

    // When it started (set once by the start transition).
    /** When the whole chain of runs must end (execution timeout), 0 for never. */
    private long executionExpirationMillis;
    private long startTimeMillis;
    /**
     * When the run's first workflow task was due: the start plus its backoff (start delay, cron, retry), Temporal's
     * ExecutionTime. 0 in rows written before it was kept; read it through {@link #executionTimeMillis()}.
     */
    private long executionTimeMillis;

    // Where it is.
    /** {@code io.temporal.api.enums.v1.WorkflowExecutionStatus} number. */
    private int status = io.temporal.api.enums.v1.WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING_VALUE;
    private long closeTimeMillis;
    private boolean cancelRequested;
    /** A deletion of this run is under way (DeleteWorkflowExecution, its namespace's purge). */
    private boolean deleting;
    /** Memo and search attributes as given at start and upserted since (protobuf bytes), shown by describe. */
    private byte[] memo;
    private byte[] searchAttributes;
    /** {@code io.temporal.api.workflow.v1.ResetPoints} bytes ({@link AutoResetPoints}); null: none. */
    private byte[] autoResetPoints;

    // Its history.
    private long nextEventId = 1;
    /**
     * The txn id of the newest history batch this state commits: reads take no batch written after it, such as
     * one of a transition whose commit failed. 0 in states written before it was kept: no bound.
     */
    private long historyTxnId;
    /** Bytes of history written so far, for the 50 MiB limit. */
    private long historySizeBytes;
    /**
     * Events that happened while a workflow task was running (activity results, signals): written to history
     * when that task completes, so the worker's view and history never diverge mid-task.
     */
    private List<byte[]> bufferedEvents = new ArrayList<>();

    // Its timers (the engine's own; user timers are in {@link #timers}).
    /** Delay before the first workflow task (start delay, cron, retry backoff). */
    private TimerTask.TimerRef backoffTimer;
    private TimerTask.TimerRef runTimeoutTimer;
    /** The timer that deletes the closed run when its retention ends; deleted with the run if that is sooner. */
    private TimerTask.TimerRef retentionTimer;

    // Its workflow tasks.
    /** The scheduled or started workflow task, if any. */
    private WorkflowTaskInfo workflowTask;
    /** Started event id of the last completed workflow task: the SDK's previous_started_event_id. */
    private long lastCompletedWorkflowTaskStartedEventId;
    /** Sticky queue the last worker asked for; empty when none. */
    private String stickyTaskQueue = "";
    private long stickyScheduleToStartMillis;

    // What is pending.
    /** Pending activities by scheduled event id. */
    private Map<Long, ActivityInfo> activities = new TreeMap<>();
    /** Child workflows by their initiated event id. */
    private Map<Long, ChildInfo> children = new TreeMap<>();
    /** Signals and cancellations this run sent to other workflows, not yet acknowledged, by initiated event id. */
    private Map<Long, ExternalRequest> externalRequests = new TreeMap<>();
    /** Nexus operations this run scheduled and that have not ended, by scheduled event id. */
    private Map<Long, NexusOperationInfo> nexusOperations = new TreeMap<>();
    /** Where the outcome of this run's chain goes when it closes (a Nexus handler's workflow-run operation). */
    private List<NexusCompletionCallback> completionCallbacks = new ArrayList<>();
    /** User timers by timer id. */
    private Map<String, UserTimerInfo> timers = new TreeMap<>();
    /**
     * Updates admitted in history (a reset reapplies its base run's updates as UpdateAdmitted events) and not
     * accepted yet: update id to admitted event id. The worker learns of them from history, not from messages.
     */
    private Map<String, Long> admittedUpdates = new TreeMap<>();
    /** Updates accepted and not completed yet: update id to accepted event id. */
    private Map<String, Long> acceptedUpdates = new TreeMap<>();
    /** Completed updates: update id to completed event id, so a repeated update id gets the same outcome. */
    private Map<String, Long> completedUpdates = new TreeMap<>();
    /** Request ids of signals already applied, so a retried signal is not delivered twice (oldest first). */
    private Set<String> signalRequestIds = new LinkedHashSet<>();
    /**
     * Cross-workflow tasks of this run not done yet (a closed parent's close policies, a child's report): the run
     * is deleted only once they are, since they read it.
     */
    private Set<Long> crossWorkflowTaskIds = new TreeSet<>();

    // A schedule's own state, when this run is a schedule's (its scheduler run): bytes only the schedule lifecycle
    // reads, so this layer knows nothing of schedules. Null for a workflow's run.
    private byte[] schedule;

    /** For the codec; code builds a run with {@link #builder()}. */
    private ExecutionState() {
    }

    /** A new run's state, RUNNING, with nothing pending; the start transition then records its start. */
    public static Builder builder() {
        return new Builder();
    }

    /** Names what a run is, field by field; {@link #build()} checks the ids are there. */
    public static final class Builder {
        private final ExecutionState run = new ExecutionState();

        private Builder() {
        }

        public Builder namespaceId(String namespaceId) {
            run.namespaceId = namespaceId;
            return this;
        }

        public Builder workflowId(String workflowId) {
            run.workflowId = workflowId;
            return this;
        }

        public Builder runId(String runId) {
            run.runId = runId;
            return this;
        }

        /** The chain's first run; the run itself when null. */
        public Builder firstRunId(String firstRunId) {
            run.firstRunId = firstRunId;
            return this;
        }

        public Builder workflowType(String workflowType) {
            run.workflowType = workflowType;
            return this;
        }

        public Builder taskQueue(String taskQueue) {
            run.taskQueue = taskQueue;
            return this;
        }

        public Builder startRequestId(String startRequestId) {
            run.startRequestId = startRequestId;
            return this;
        }

        public Builder attempt(int attempt) {
            run.attempt = attempt;
            return this;
        }

        public Builder cronSchedule(String cronSchedule) {
            run.cronSchedule = cronSchedule == null ? "" : cronSchedule;
            return this;
        }

        public Builder retryPolicy(byte[] retryPolicy) {
            run.retryPolicy = retryPolicy;
            return this;
        }

        public Builder parent(ParentRef parent) {
            run.parent = parent;
            return this;
        }

        public Builder closeCallback(CloseCallback closeCallback) {
            run.closeCallback = closeCallback;
            return this;
        }

        /** Makes the run a schedule's scheduler run, with the schedule's state. */
        public Builder schedule(byte[] schedule) {
            run.schedule = schedule;
            return this;
        }

        public Builder timeouts(long workflowTaskTimeoutMillis, long runTimeoutMillis, long executionTimeoutMillis) {
            run.workflowTaskTimeoutMillis = workflowTaskTimeoutMillis;
            run.runTimeoutMillis = runTimeoutMillis;
            run.executionTimeoutMillis = executionTimeoutMillis;
            return this;
        }

        /** The chain's deadline when the run inherits one (a retry), 0 for a fresh one at start. */
        public Builder executionExpirationMillis(long executionExpirationMillis) {
            run.executionExpirationMillis = executionExpirationMillis;
            return this;
        }

        /** A reset keeps its base run's start times. */
        public Builder startTimes(long startTimeMillis, long executionTimeMillis) {
            run.startTimeMillis = startTimeMillis;
            run.executionTimeMillis = executionTimeMillis;
            return this;
        }

        public Builder memo(byte[] memo) {
            run.memo = memo;
            return this;
        }

        public Builder searchAttributes(byte[] searchAttributes) {
            run.searchAttributes = searchAttributes;
            return this;
        }

        public ExecutionState build() {
            if (run.namespaceId == null || run.workflowId == null || run.runId == null) {
                throw new IllegalStateException("a run needs its namespace, workflow and run ids");
            }
            if (run.firstRunId == null) {
                run.firstRunId = run.runId;
            }
            return run;
        }
    }

    // ---- What the run is ----

    public String namespaceId() {
        return namespaceId;
    }

    public String workflowId() {
        return workflowId;
    }

    public String runId() {
        return runId;
    }

    public String firstRunId() {
        return firstRunId;
    }

    public String workflowType() {
        return workflowType;
    }

    public String taskQueue() {
        return taskQueue;
    }

    public String startRequestId() {
        return startRequestId;
    }

    public int attempt() {
        return attempt;
    }

    public String cronSchedule() {
        return cronSchedule;
    }

    /** RetryPolicy bytes, null without one. */
    public byte[] retryPolicy() {
        return retryPolicy;
    }

    /** The parent that started this run as a child, null for a top-level run. */
    public ParentRef parent() {
        return parent;
    }

    /** Told when the chain of runs closes, null for none. */
    public CloseCallback closeCallback() {
        return closeCallback;
    }

    public long workflowTaskTimeoutMillis() {
        return workflowTaskTimeoutMillis;
    }

    public long runTimeoutMillis() {
        return runTimeoutMillis;
    }

    public long executionTimeoutMillis() {
        return executionTimeoutMillis;
    }

    // ---- Its start ----

    /**
     * Records the start transition: when it happened and when its first workflow task is due; a run that does not
     * inherit its chain's deadline gets one from its execution timeout.
     */
    public void recordStart(long nowMillis, long backoffMillis) {
        startTimeMillis = nowMillis;
        executionTimeMillis = nowMillis + backoffMillis;
        if (executionExpirationMillis == 0 && executionTimeoutMillis > 0) {
            executionExpirationMillis = nowMillis + backoffMillis + executionTimeoutMillis;
        }
    }

    /** When the whole chain of runs must end (execution timeout), 0 for never. */
    public long executionExpirationMillis() {
        return executionExpirationMillis;
    }

    public long startTimeMillis() {
        return startTimeMillis;
    }

    /** Temporal's ExecutionTime: when the first workflow task was due (the start time in older rows). */
    public long executionTimeMillis() {
        return executionTimeMillis > 0 ? executionTimeMillis : startTimeMillis;
    }

    // ---- Where it is ----

    /** {@code WorkflowExecutionStatus} number. */
    public int status() {
        return status;
    }

    public boolean isRunning() {
        return status == io.temporal.api.enums.v1.WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING_VALUE;
    }

    /** Closes the run with {@code status} (a closed status number) at {@code nowMillis}. */
    public void close(int status, long nowMillis) {
        if (!isRunning()) {
            throw new Transitions.IllegalTransition("run " + runId + ": closed again (status " + this.status
                    + " to " + status + ")");
        }
        this.status = status;
        this.closeTimeMillis = nowMillis;
    }

    public long closeTimeMillis() {
        return closeTimeMillis;
    }

    public boolean cancelRequested() {
        return cancelRequested;
    }

    public void requestCancel() {
        cancelRequested = true;
    }

    public boolean deleting() {
        return deleting;
    }

    /** Marks a deletion under way; false if one already was. */
    public boolean markDeleting() {
        if (deleting) {
            return false;
        }
        deleting = true;
        return true;
    }

    /** Memo bytes, null when none. */
    public byte[] memo() {
        return memo;
    }

    /** The memo with {@code upserted} merged in (not kept until {@link #keepMemo}). */
    public io.temporal.api.common.v1.Memo memoWith(Map<String, io.temporal.api.common.v1.Payload> upserted) {
        io.temporal.api.common.v1.Memo current = StoredProtos.parse(memo, io.temporal.api.common.v1.Memo.parser());
        return (current == null ? io.temporal.api.common.v1.Memo.newBuilder() : current.toBuilder())
                .putAllFields(upserted).build();
    }

    public void keepMemo(io.temporal.api.common.v1.Memo memo) {
        this.memo = memo.toByteArray();
    }

    /** SearchAttributes bytes, null when none. */
    public byte[] searchAttributes() {
        return searchAttributes;
    }

    /** The search attributes with {@code upserted} merged in (not kept until {@link #keepSearchAttributes}). */
    public io.temporal.api.common.v1.SearchAttributes searchAttributesWith(
            Map<String, io.temporal.api.common.v1.Payload> upserted) {
        io.temporal.api.common.v1.SearchAttributes current =
                StoredProtos.parse(searchAttributes, io.temporal.api.common.v1.SearchAttributes.parser());
        return (current == null ? io.temporal.api.common.v1.SearchAttributes.newBuilder() : current.toBuilder())
                .putAllIndexedFields(upserted).build();
    }

    public void keepSearchAttributes(io.temporal.api.common.v1.SearchAttributes searchAttributes) {
        this.searchAttributes = searchAttributes.toByteArray();
    }

    /** ResetPoints bytes, null when none; kept by {@link AutoResetPoints}. */
    public byte[] autoResetPoints() {
        return autoResetPoints;
    }

    void replaceAutoResetPoints(byte[] autoResetPoints) {
        this.autoResetPoints = autoResetPoints;
    }

    // ---- Its history ----

    public long nextEventId() {
        return nextEventId;
    }

    /** The id the next event written to history takes. */
    public long takeEventId() {
        return nextEventId++;
    }

    /** Counts bytes written to history (or an event's growth), for the history size limit. */
    public void addHistoryBytes(long bytes) {
        historySizeBytes += bytes;
    }

    public long historySizeBytes() {
        return historySizeBytes;
    }

    /** Bounds history reads by the newest batch this state commits, 0 for no bound (older rows). */
    public long historyTxnId() {
        return historyTxnId;
    }

    public void recordHistoryTxn(long txnId) {
        historyTxnId = txnId;
    }

    /** Events waiting for the running workflow task to end, oldest first (read-only). */
    public List<byte[]> bufferedEvents() {
        return Collections.unmodifiableList(bufferedEvents);
    }

    public void bufferEvent(byte[] event) {
        bufferedEvents.add(event);
    }

    public void clearBufferedEvents() {
        bufferedEvents.clear();
    }

    // ---- Its engine timers ----

    public TimerTask.TimerRef backoffTimer() {
        return backoffTimer;
    }

    /** The timer that starts the first workflow task after a delay; null once fired or the run closed. */
    public void setBackoffTimer(TimerTask.TimerRef timer) {
        backoffTimer = timer;
    }

    public TimerTask.TimerRef runTimeoutTimer() {
        return runTimeoutTimer;
    }

    public void setRunTimeoutTimer(TimerTask.TimerRef timer) {
        runTimeoutTimer = timer;
    }

    public TimerTask.TimerRef retentionTimer() {
        return retentionTimer;
    }

    public void setRetentionTimer(TimerTask.TimerRef timer) {
        retentionTimer = timer;
    }

    // ---- Its workflow tasks ----

    /** The scheduled or started workflow task, null when none. */
    public WorkflowTaskInfo workflowTask() {
        return workflowTask;
    }

    public long lastCompletedWorkflowTaskStartedEventId() {
        return lastCompletedWorkflowTaskStartedEventId;
    }

    public String stickyTaskQueue() {
        return stickyTaskQueue;
    }

    public long stickyScheduleToStartMillis() {
        return stickyScheduleToStartMillis;
    }

    /** The worker asked for its sticky queue: the next tasks go there first. */
    public void stickTo(String stickyTaskQueue, long scheduleToStartMillis) {
        this.stickyTaskQueue = stickyTaskQueue;
        this.stickyScheduleToStartMillis = scheduleToStartMillis;
    }

    /** Tasks go to the normal queue again (the sticky worker failed, timed out or did not ask). */
    public void unstick() {
        stickyTaskQueue = "";
    }

    /** Ends the started workflow task COMPLETED and remembers its started event for the next one. */
    public WorkflowTaskInfo completeWorkflowTask() {
        WorkflowTaskInfo task = endWorkflowTask(WorkflowTaskState.COMPLETED);
        lastCompletedWorkflowTaskStartedEventId = task.startedEventId();
        return task;
    }

    // ---- What is pending ----

    /** Pending activities by scheduled event id (read-only). */
    public Map<Long, ActivityInfo> activities() {
        return Collections.unmodifiableMap(activities);
    }

    public ActivityInfo activity(long scheduledEventId) {
        return activities.get(scheduledEventId);
    }

    /** Adds a SCHEDULED activity. */
    public void addActivity(ActivityInfo activity) {
        if (activities.putIfAbsent(activity.scheduledEventId(), activity) != null) {
            throw new Transitions.IllegalTransition("run " + runId + ": activity " + activity.scheduledEventId()
                    + " is scheduled twice");
        }
    }

    /** Child workflows by initiated event id (read-only). */
    public Map<Long, ChildInfo> children() {
        return Collections.unmodifiableMap(children);
    }

    public ChildInfo child(long initiatedEventId) {
        return children.get(initiatedEventId);
    }

    /** Adds an INITIATED child. */
    public void addChild(long initiatedEventId, ChildInfo child) {
        if (children.putIfAbsent(initiatedEventId, child) != null) {
            throw new Transitions.IllegalTransition("run " + runId + ": child " + initiatedEventId
                    + " is initiated twice");
        }
    }

    /** Signals and cancellations sent and not acknowledged, by initiated event id (read-only). */
    public Map<Long, ExternalRequest> externalRequests() {
        return Collections.unmodifiableMap(externalRequests);
    }

    public void addExternalRequest(long initiatedEventId, ExternalRequest request) {
        externalRequests.put(initiatedEventId, request);
    }

    /** Forgets the request initiated by {@code initiatedEventId}; returns it, null if it was not pending. */
    public ExternalRequest endExternalRequest(long initiatedEventId) {
        return externalRequests.remove(initiatedEventId);
    }

    /** Pending Nexus operations by scheduled event id (read-only). */
    public Map<Long, NexusOperationInfo> nexusOperations() {
        return Collections.unmodifiableMap(nexusOperations);
    }

    /** The pending operation scheduled by {@code scheduledEventId}, null when none (never, or ended). */
    public NexusOperationInfo nexusOperation(long scheduledEventId) {
        return nexusOperations.get(scheduledEventId);
    }

    public void addNexusOperation(NexusOperationInfo operation) {
        if (nexusOperations.putIfAbsent(operation.scheduledEventId(), operation) != null) {
            throw new Transitions.IllegalTransition("run " + runId + ": nexus operation "
                    + operation.scheduledEventId() + " is scheduled twice");
        }
    }

    /** The operation ended ({@code how}: a state that is not held); returns it. */
    public NexusOperationInfo endNexusOperation(long scheduledEventId, NexusOperationState how) {
        NexusOperationInfo operation = nexusOperations.get(scheduledEventId);
        if (operation == null) {
            throw new Transitions.IllegalTransition("run " + runId + ": no pending nexus operation "
                    + scheduledEventId + " to end as " + how);
        }
        operation.checkEnd(runId, how);
        nexusOperations.remove(scheduledEventId);
        return operation;
    }

    /** Nexus completion callbacks of this run's chain (read-only). */
    public List<NexusCompletionCallback> completionCallbacks() {
        return Collections.unmodifiableList(completionCallbacks);
    }

    /** Attaches callbacks (at start, handed on to a successor run, or attached to a running workflow). */
    public void attachCompletionCallbacks(List<NexusCompletionCallback> callbacks) {
        completionCallbacks.addAll(callbacks);
    }

    /** User timers by timer id (read-only). */
    public Map<String, UserTimerInfo> timers() {
        return Collections.unmodifiableMap(timers);
    }

    public UserTimerInfo timer(String timerId) {
        return timers.get(timerId);
    }

    /** Adds a STARTED user timer. */
    public void addTimer(UserTimerInfo timer) {
        if (timers.putIfAbsent(timer.timerId(), timer) != null) {
            throw new Transitions.IllegalTransition("run " + runId + ": timer " + timer.timerId() + " started twice");
        }
    }

    /** Admitted, not accepted updates: update id to admitted event id (read-only). */
    public Map<String, Long> admittedUpdates() {
        return Collections.unmodifiableMap(admittedUpdates);
    }

    /** Accepted, not completed updates: update id to accepted event id (read-only). */
    public Map<String, Long> acceptedUpdates() {
        return Collections.unmodifiableMap(acceptedUpdates);
    }

    /** Completed updates: update id to completed event id (read-only). */
    public Map<String, Long> completedUpdates() {
        return Collections.unmodifiableMap(completedUpdates);
    }

    /** Forgets an admitted update (its rejection); false if it was not admitted. */
    public boolean dropAdmittedUpdate(String updateId) {
        return admittedUpdates.remove(updateId) != null;
    }

    public void admitUpdate(String updateId, long admittedEventId) {
        admittedUpdates.put(updateId, admittedEventId);
    }

    /** The update is accepted by {@code acceptedEventId} (whether it was admitted in history or came as a message). */
    public void acceptUpdate(String updateId, long acceptedEventId) {
        admittedUpdates.remove(updateId);
        acceptedUpdates.put(updateId, acceptedEventId);
    }

    public void completeUpdate(String updateId, long completedEventId) {
        acceptedUpdates.remove(updateId);
        completedUpdates.put(updateId, completedEventId);
    }

    /**
     * Remembers a signal's request id, forgetting the oldest beyond {@code limit}; false if it was applied already
     * (a retried signal).
     */
    public boolean recordSignalRequest(String requestId, int limit) {
        if (!signalRequestIds.add(requestId)) {
            return false;
        }
        if (signalRequestIds.size() > limit) {
            signalRequestIds.remove(signalRequestIds.iterator().next());
        }
        return true;
    }

    /** The schedule's state if this is a schedule's scheduler run, else null. */
    public byte[] schedule() {
        return schedule;
    }

    /** The schedule's state after a transition of its scheduler run. */
    public void replaceSchedule(byte[] schedule) {
        if (this.schedule == null) {
            throw new Transitions.IllegalTransition("run " + runId + " is no schedule's");
        }
        this.schedule = schedule;
    }

    /** The run has cross-workflow tasks not done yet: it may not be deleted before they are. */
    public boolean hasPendingCrossWorkflowTasks() {
        return !crossWorkflowTaskIds.isEmpty();
    }

    public void addCrossWorkflowTask(long taskId) {
        crossWorkflowTaskIds.add(taskId);
    }

    public void crossWorkflowTaskDone(long taskId) {
        crossWorkflowTaskIds.remove(taskId);
    }

    /** Makes {@code task} the run's workflow task (SCHEDULED); a run has one at most. */
    public void scheduleWorkflowTask(WorkflowTaskInfo task) {
        if (workflowTask != null) {
            throw new Transitions.IllegalTransition("run " + runId + ": a workflow task is scheduled while task "
                    + workflowTask.scheduledEventId() + " is " + workflowTask.state());
        }
        workflowTask = task;
    }

    /** Ends the run's workflow task {@code how} (a state its table allows next); returns the task. */
    public WorkflowTaskInfo endWorkflowTask(WorkflowTaskState how) {
        WorkflowTaskInfo task = workflowTask;
        if (task == null) {
            throw new Transitions.IllegalTransition("run " + runId + ": no workflow task to end " + how);
        }
        WorkflowTaskState.TRANSITIONS.check(runId, task.scheduledEventId(), task.state(), how);
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
        ActivityState.TRANSITIONS.check(runId, activity.activityId(), activity.state(), how);
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
        ChildState.TRANSITIONS.check(runId, child.workflowId(), child.state(), how);
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

}
