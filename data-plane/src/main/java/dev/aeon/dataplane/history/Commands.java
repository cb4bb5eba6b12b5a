package dev.aeon.dataplane.history;

import com.google.protobuf.util.Durations;
import dev.aeon.dataplane.history.ExecutionState.ActivityInfo;
import dev.aeon.dataplane.history.ExecutionState.UserTimerInfo;
import dev.aeon.dataplane.matching.DispatchTask;
import dev.aeon.dataplane.namespace.Namespace;
import dev.aeon.dataplane.namespace.NamespaceRegistry;
import io.temporal.api.command.v1.Command;
import io.temporal.api.command.v1.RequestCancelExternalWorkflowExecutionCommandAttributes;
import io.temporal.api.command.v1.SignalExternalWorkflowExecutionCommandAttributes;
import io.temporal.api.command.v1.StartChildWorkflowExecutionCommandAttributes;
import io.temporal.api.command.v1.ContinueAsNewWorkflowExecutionCommandAttributes;
import io.temporal.api.enums.v1.ContinueAsNewInitiator;
import io.temporal.api.command.v1.ScheduleActivityTaskCommandAttributes;
import io.temporal.api.command.v1.StartTimerCommandAttributes;
import io.temporal.api.common.v1.RetryPolicy;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.RetryState;
import io.temporal.api.enums.v1.TaskQueueKind;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.enums.v1.WorkflowTaskFailedCause;
import io.temporal.api.history.v1.ActivityTaskScheduledEventAttributes;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.taskqueue.v1.TaskQueue;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Optional;

/**
 * Applies a workflow task's commands to the run, each recording its events, timers and tasks in the mutation.
 * A command that breaks a rule throws {@link CommandRejected}, which fails the workflow task.
 */
@ApplicationScoped
public class Commands {

    /** Temporal's per-run limits on pending children, outgoing signals and outgoing cancel requests. */
    static final int MAX_PENDING_CHILDREN = 2000;
    static final int MAX_PENDING_SIGNALS = 2000;
    static final int MAX_PENDING_CANCELS = 2000;

    private final NamespaceRegistry namespaces;

    public Commands(NamespaceRegistry namespaces) {
        this.namespaces = namespaces;
    }

    /** Temporal's per-run limit on pending activities. */
    static final int MAX_PENDING_ACTIVITIES = 2000;

    void apply(Mutation m, Command command, long completedEventId) {
        int firstEvent = m.events.size();
        applyAttributes(m, command, completedEventId);
        // Temporal puts a command's user metadata on the event the command wrote first (a timer's summary on its
        // TimerStarted, a local activity's on its marker), never on events that follow from it.
        if (command.hasUserMetadata() && m.events.size() > firstEvent) {
            m.setUserMetadata(firstEvent, command.getUserMetadata());
        }
    }

    private void applyAttributes(Mutation m, Command command, long completedEventId) {
        switch (command.getCommandType()) {
            case COMMAND_TYPE_SCHEDULE_ACTIVITY_TASK ->
                    scheduleActivity(m, command.getScheduleActivityTaskCommandAttributes(), completedEventId);
            case COMMAND_TYPE_REQUEST_CANCEL_ACTIVITY_TASK ->
                    requestCancelActivity(m, command.getRequestCancelActivityTaskCommandAttributes().getScheduledEventId(),
                            completedEventId);
            case COMMAND_TYPE_START_TIMER -> startTimer(m, command.getStartTimerCommandAttributes(), completedEventId);
            case COMMAND_TYPE_CANCEL_TIMER -> cancelTimer(m, command.getCancelTimerCommandAttributes().getTimerId(),
                    completedEventId);
            case COMMAND_TYPE_RECORD_MARKER -> {
                var marker = command.getRecordMarkerCommandAttributes();
                if (marker.getMarkerName().isEmpty()) {
                    throw new CommandRejected(WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_BAD_RECORD_MARKER_ATTRIBUTES,
                            "RecordMarkerCommandAttributes.marker_name is not set");
                }
                m.append(EventType.EVENT_TYPE_MARKER_RECORDED, e -> PresentFields.copy(marker,
                                e.getMarkerRecordedEventAttributesBuilder())
                        .setWorkflowTaskCompletedEventId(completedEventId));
            }
            case COMMAND_TYPE_COMPLETE_WORKFLOW_EXECUTION -> {
                Limits.checkPayloads(command.getCompleteWorkflowExecutionCommandAttributes().getResult().getPayloadsList(),
                        WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_BAD_COMPLETE_WORKFLOW_EXECUTION_ATTRIBUTES);
                var complete = command.getCompleteWorkflowExecutionCommandAttributes();
                RunChains.Next next = RunChains.afterCompletion(m, complete.getResult());
                m.append(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED,
                        e -> PresentFields.copy(complete, e.getWorkflowExecutionCompletedEventAttributesBuilder())
                                .setWorkflowTaskCompletedEventId(completedEventId)
                                .setNewExecutionRunId(next.newRunId()));
                close(m, WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED);
                next.begin();
            }
            case COMMAND_TYPE_FAIL_WORKFLOW_EXECUTION -> {
                var fail = command.getFailWorkflowExecutionCommandAttributes();
                RunChains.Next next = RunChains.afterFailure(m, fail.getFailure());
                m.append(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_FAILED,
                        e -> PresentFields.copy(fail, e.getWorkflowExecutionFailedEventAttributesBuilder())
                                .setRetryState(next.retryState())
                                .setWorkflowTaskCompletedEventId(completedEventId)
                                .setNewExecutionRunId(next.newRunId()));
                close(m, WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_FAILED);
                next.begin();
            }
            case COMMAND_TYPE_START_CHILD_WORKFLOW_EXECUTION ->
                    startChild(m, command.getStartChildWorkflowExecutionCommandAttributes(), completedEventId);
            case COMMAND_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION ->
                    signalExternal(m, command.getSignalExternalWorkflowExecutionCommandAttributes(), completedEventId);
            case COMMAND_TYPE_REQUEST_CANCEL_EXTERNAL_WORKFLOW_EXECUTION ->
                    cancelExternal(m, command.getRequestCancelExternalWorkflowExecutionCommandAttributes(), completedEventId);
            case COMMAND_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES -> {
                var upsert = command.getUpsertWorkflowSearchAttributesCommandAttributes().getSearchAttributes();
                Limits.checkPayloads(upsert.getIndexedFieldsMap().values(),
                        WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_BAD_SEARCH_ATTRIBUTES);
                var merged = (m.state.searchAttributes == null ? io.temporal.api.common.v1.SearchAttributes.newBuilder()
                        : RunChains.parse(m.state.searchAttributes, io.temporal.api.common.v1.SearchAttributes.parser()).toBuilder())
                        .putAllIndexedFields(upsert.getIndexedFieldsMap()).build();
                m.state.searchAttributes = merged.toByteArray();
                m.append(EventType.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES,
                        e -> PresentFields.copy(command.getUpsertWorkflowSearchAttributesCommandAttributes(),
                                        e.getUpsertWorkflowSearchAttributesEventAttributesBuilder())
                                .setWorkflowTaskCompletedEventId(completedEventId));
            }
            case COMMAND_TYPE_MODIFY_WORKFLOW_PROPERTIES -> {
                var memo = command.getModifyWorkflowPropertiesCommandAttributes().getUpsertedMemo();
                Limits.checkPayloads(memo.getFieldsMap().values(),
                        WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_BAD_MODIFY_WORKFLOW_PROPERTIES_ATTRIBUTES);
                var merged = (m.state.memo == null ? io.temporal.api.common.v1.Memo.newBuilder()
                        : RunChains.parse(m.state.memo, io.temporal.api.common.v1.Memo.parser()).toBuilder())
                        .putAllFields(memo.getFieldsMap()).build();
                m.state.memo = merged.toByteArray();
                m.append(EventType.EVENT_TYPE_WORKFLOW_PROPERTIES_MODIFIED,
                        e -> PresentFields.copy(command.getModifyWorkflowPropertiesCommandAttributes(),
                                        e.getWorkflowPropertiesModifiedEventAttributesBuilder())
                                .setWorkflowTaskCompletedEventId(completedEventId));
            }
            case COMMAND_TYPE_CONTINUE_AS_NEW_WORKFLOW_EXECUTION ->
                    continueAsNew(m, command.getContinueAsNewWorkflowExecutionCommandAttributes(), completedEventId);
            case COMMAND_TYPE_CANCEL_WORKFLOW_EXECUTION -> {
                m.append(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED,
                        e -> PresentFields.copy(command.getCancelWorkflowExecutionCommandAttributes(),
                                        e.getWorkflowExecutionCanceledEventAttributesBuilder())
                                .setWorkflowTaskCompletedEventId(completedEventId));
                close(m, WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_CANCELED);
            }
            default -> throw new CommandRejected(WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_UNHANDLED_COMMAND,
                    command.getCommandType() + " is not supported by this server yet");
        }
    }

    private static void scheduleActivity(Mutation m, ScheduleActivityTaskCommandAttributes command,
                                         long completedEventId) {
        WorkflowTaskFailedCause bad = WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_BAD_SCHEDULE_ACTIVITY_ATTRIBUTES;
        if (command.getActivityId().isEmpty() || command.getActivityId().length() > Validation.MAX_ID_LENGTH) {
            throw new CommandRejected(bad, "ActivityId is not set or too long on ScheduleActivityTaskCommand");
        }
        if (command.getActivityType().getName().isEmpty()) {
            throw new CommandRejected(bad, "ActivityType is not set on ScheduleActivityTaskCommand");
        }
        Limits.checkPayloads(command.getInput().getPayloadsList(), bad);
        if (m.state.activities.size() >= MAX_PENDING_ACTIVITIES) {
            throw new CommandRejected(WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_PENDING_ACTIVITIES_LIMIT_EXCEEDED,
                    "the run has " + MAX_PENDING_ACTIVITIES + " pending activities, the limit");
        }
        for (ActivityInfo pending : m.state.activities.values()) {
            if (pending.activityId.equals(command.getActivityId())) {
                throw new CommandRejected(WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_SCHEDULE_ACTIVITY_DUPLICATE_ID,
                        "activity id " + command.getActivityId() + " is already in use by a pending activity");
            }
        }
        ActivityTaskScheduledEventAttributes attributes = ActivityTimeouts.normalize(command, m.state)
                .setWorkflowTaskCompletedEventId(completedEventId)
                .build();
        HistoryEvent scheduled = m.append(EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED,
                e -> e.setActivityTaskScheduledEventAttributes(attributes));
        ActivityInfo activity = new ActivityInfo();
        activity.scheduledEventId = scheduled.getEventId();
        activity.activityId = command.getActivityId();
        activity.scheduledAttributes = attributes.toByteArray();
        activity.scheduledTimeMillis = m.now;
        m.state.activities.put(activity.scheduledEventId, activity);
        Activities.dispatch(m, activity);
        if (command.getRequestEagerExecution()) {
            m.eagerActivities.add(activity);
        }
    }

    /**
     * A queued activity is canceled at once; a running one is told through its heartbeat and reports back with
     * RespondActivityTaskCanceled.
     */
    private static void requestCancelActivity(Mutation m, long scheduledEventId, long completedEventId) {
        ActivityInfo activity = m.state.activities.get(scheduledEventId);
        if (activity == null) {
            throw new CommandRejected(
                    WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_BAD_REQUEST_CANCEL_ACTIVITY_ATTRIBUTES,
                    "no pending activity was scheduled by event " + scheduledEventId);
        }
        HistoryEvent requested = m.append(EventType.EVENT_TYPE_ACTIVITY_TASK_CANCEL_REQUESTED,
                e -> e.getActivityTaskCancelRequestedEventAttributesBuilder()
                        .setScheduledEventId(scheduledEventId)
                        .setWorkflowTaskCompletedEventId(completedEventId));
        activity.cancelRequested = true;
        activity.cancelRequestedEventId = requested.getEventId();
        if (!activity.started) {
            m.buffer(EventType.EVENT_TYPE_ACTIVITY_TASK_CANCELED, e -> e.getActivityTaskCanceledEventAttributesBuilder()
                    .setScheduledEventId(scheduledEventId)
                    .setLatestCancelRequestedEventId(requested.getEventId()));
            if (activity.retryTimer == null) {
                m.completeTransferTask(activity.transferTaskId);
            }
            Activities.clearTimers(m, activity);
            m.state.activities.remove(scheduledEventId);
            m.newWorkflowTaskNeeded = true;
        }
    }

    private static void startTimer(Mutation m, StartTimerCommandAttributes command, long completedEventId) {
        WorkflowTaskFailedCause bad = WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_BAD_START_TIMER_ATTRIBUTES;
        if (command.getTimerId().isEmpty()) {
            throw new CommandRejected(bad, "TimerId is not set on StartTimerCommand");
        }
        if (m.state.timers.containsKey(command.getTimerId())) {
            throw new CommandRejected(WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_START_TIMER_DUPLICATE_ID,
                    "timer id " + command.getTimerId() + " is already in use");
        }
        long fireIn = Durations.toMillis(command.getStartToFireTimeout());
        if (fireIn <= 0) {
            throw new CommandRejected(bad, "StartToFireTimeout must be positive on StartTimerCommand");
        }
        HistoryEvent started = m.append(EventType.EVENT_TYPE_TIMER_STARTED, e -> e.getTimerStartedEventAttributesBuilder()
                .setTimerId(command.getTimerId())
                .setStartToFireTimeout(command.getStartToFireTimeout())
                .setWorkflowTaskCompletedEventId(completedEventId));
        UserTimerInfo timer = new UserTimerInfo();
        timer.timerId = command.getTimerId();
        timer.startedEventId = started.getEventId();
        timer.timer = m.addTimer(TimerTask.Kind.USER_TIMER, started.getEventId(), 0, 0, timer.timerId,
                m.now + fireIn).ref();
        m.state.timers.put(timer.timerId, timer);
    }

    private static void cancelTimer(Mutation m, String timerId, long completedEventId) {
        UserTimerInfo timer = m.state.timers.remove(timerId);
        if (timer == null) {
            throw new CommandRejected(WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_BAD_CANCEL_TIMER_ATTRIBUTES,
                    "no pending timer with id " + timerId);
        }
        m.completeTimer(timer.timer);
        m.append(EventType.EVENT_TYPE_TIMER_CANCELED, e -> e.getTimerCanceledEventAttributesBuilder()
                .setTimerId(timerId)
                .setStartedEventId(timer.startedEventId)
                .setWorkflowTaskCompletedEventId(completedEventId));
    }

    /** A user timer fired: the workflow sees it in its next workflow task. */
    static boolean fireTimer(Mutation m, TimerTask fired) {
        UserTimerInfo timer = m.state.timers.get(fired.timerId());
        if (!m.state.isRunning() || timer == null || timer.startedEventId != fired.subjectId()) {
            return false;
        }
        m.state.timers.remove(fired.timerId());
        m.appendOrBuffer(EventType.EVENT_TYPE_TIMER_FIRED, e -> e.getTimerFiredEventAttributesBuilder()
                .setTimerId(timer.timerId)
                .setStartedEventId(timer.startedEventId));
        return true;
    }

    private void startChild(Mutation m, StartChildWorkflowExecutionCommandAttributes command, long completedEventId) {
        WorkflowTaskFailedCause bad = WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_BAD_START_CHILD_EXECUTION_ATTRIBUTES;
        if (command.getWorkflowId().isEmpty() || command.getWorkflowType().getName().isEmpty()) {
            throw new CommandRejected(bad, "WorkflowId and WorkflowType are required on StartChildWorkflowExecutionCommand");
        }
        if (m.state.children.size() >= MAX_PENDING_CHILDREN) {
            throw new CommandRejected(WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_PENDING_CHILD_WORKFLOWS_LIMIT_EXCEEDED,
                    "the run has " + MAX_PENDING_CHILDREN + " pending child workflows, the limit");
        }
        Limits.checkPayloads(command.getInput().getPayloadsList(), bad);
        var target = namespace(command.getNamespace(), m.state.namespaceId, bad, "StartChildWorkflowExecutionCommand");
        String taskQueue = Validation.commandTaskQueue(command.getTaskQueue(), m.state.taskQueue, bad);
        HistoryEvent initiated = m.append(EventType.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED,
                e -> {
                    var attributes = PresentFields.copy(command, e.getStartChildWorkflowExecutionInitiatedEventAttributesBuilder())
                            .setNamespace(target.getNamespaceInfo().getName())
                            .setNamespaceId(target.getNamespaceInfo().getId())
                            .setTaskQueue(TaskQueue.newBuilder().setName(taskQueue).setKind(TaskQueueKind.TASK_QUEUE_KIND_NORMAL))
                            .setWorkflowTaskCompletedEventId(completedEventId);
                    // Temporal records the defaults it applies, not UNSPECIFIED.
                    if (command.getParentClosePolicyValue() == 0) {
                        attributes.setParentClosePolicy(io.temporal.api.enums.v1.ParentClosePolicy.PARENT_CLOSE_POLICY_TERMINATE);
                    }
                    if (command.getWorkflowIdReusePolicyValue() == 0) {
                        attributes.setWorkflowIdReusePolicy(
                                io.temporal.api.enums.v1.WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE);
                    }
                });
        ExecutionState.ChildInfo child = new ExecutionState.ChildInfo();
        child.namespaceId = target.getNamespaceInfo().getId();
        child.namespace = target.getNamespaceInfo().getName();
        child.workflowId = command.getWorkflowId();
        child.workflowType = command.getWorkflowType().getName();
        child.parentClosePolicy = command.getParentClosePolicyValue();
        m.state.children.put(initiated.getEventId(), child);
        m.addCrossWorkflowTask(DispatchTask.Kind.START_CHILD, initiated.getEventId());
    }

    private void signalExternal(Mutation m, SignalExternalWorkflowExecutionCommandAttributes command,
                                long completedEventId) {
        WorkflowTaskFailedCause bad = WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_BAD_SIGNAL_WORKFLOW_EXECUTION_ATTRIBUTES;
        if (command.getExecution().getWorkflowId().isEmpty() || command.getSignalName().isEmpty()) {
            throw new CommandRejected(bad, "Execution.WorkflowId and SignalName are required on SignalExternalWorkflowExecutionCommand");
        }
        if (m.state.externalRequests.values().stream().filter(r -> !r.cancel).count() >= MAX_PENDING_SIGNALS) {
            throw new CommandRejected(WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_PENDING_SIGNALS_LIMIT_EXCEEDED,
                    "the run has " + MAX_PENDING_SIGNALS + " pending outgoing signals, the limit");
        }
        Limits.checkPayloads(command.getInput().getPayloadsList(), bad);
        var target = namespace(command.getNamespace(), m.state.namespaceId, bad, "SignalExternalWorkflowExecutionCommand");
        HistoryEvent initiated = m.append(EventType.EVENT_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED,
                // The namespace name stays as the command gave it (empty: the workflow's own); its id is resolved.
                e -> PresentFields.copy(command, e.getSignalExternalWorkflowExecutionInitiatedEventAttributesBuilder())
                        .setWorkflowExecution(command.getExecution()) // `execution` in the command
                        .setNamespaceId(target.getNamespaceInfo().getId())
                        .setWorkflowTaskCompletedEventId(completedEventId));
        external(m, initiated.getEventId(), false, target, command.getExecution().getWorkflowId(),
                command.getExecution().getRunId());
    }

    private void cancelExternal(Mutation m, RequestCancelExternalWorkflowExecutionCommandAttributes command,
                                long completedEventId) {
        WorkflowTaskFailedCause bad = WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_BAD_REQUEST_CANCEL_EXTERNAL_WORKFLOW_EXECUTION_ATTRIBUTES;
        if (command.getWorkflowId().isEmpty()) {
            throw new CommandRejected(bad, "WorkflowId is required on RequestCancelExternalWorkflowExecutionCommand");
        }
        if (m.state.externalRequests.values().stream().filter(r -> r.cancel).count() >= MAX_PENDING_CANCELS) {
            throw new CommandRejected(WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_PENDING_REQUEST_CANCEL_LIMIT_EXCEEDED,
                    "the run has " + MAX_PENDING_CANCELS + " pending outgoing cancel requests, the limit");
        }
        var target = namespace(command.getNamespace(), m.state.namespaceId, bad,
                "RequestCancelExternalWorkflowExecutionCommand");
        HistoryEvent initiated = m.append(EventType.EVENT_TYPE_REQUEST_CANCEL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED,
                e -> PresentFields.copy(command, e.getRequestCancelExternalWorkflowExecutionInitiatedEventAttributesBuilder())
                        .setNamespaceId(target.getNamespaceInfo().getId())
                        .setWorkflowExecution(io.temporal.api.common.v1.WorkflowExecution.newBuilder()
                                .setWorkflowId(command.getWorkflowId()).setRunId(command.getRunId()))
                        .setWorkflowTaskCompletedEventId(completedEventId));
        external(m, initiated.getEventId(), true, target, command.getWorkflowId(), command.getRunId());
    }

    private static void external(Mutation m, long initiatedEventId, boolean cancel,
                                 io.temporal.api.workflowservice.v1.DescribeNamespaceResponse target, String workflowId,
                                 String runId) {
        ExecutionState.ExternalRequest request = new ExecutionState.ExternalRequest();
        request.cancel = cancel;
        request.namespaceId = target.getNamespaceInfo().getId();
        request.namespace = target.getNamespaceInfo().getName();
        request.workflowId = workflowId;
        request.runId = runId;
        m.state.externalRequests.put(initiatedEventId, request);
        m.addCrossWorkflowTask(cancel ? DispatchTask.Kind.CANCEL_EXTERNAL : DispatchTask.Kind.SIGNAL_EXTERNAL,
                initiatedEventId);
    }

    /**
     * The command's target namespace (its own when unnamed). One it may not command ({@link Namespace#mayCommand}:
     * another account's, or one of its own account without both opting in) fails the workflow task exactly as a
     * namespace that does not exist, so a workflow learns nothing about other tenants' namespaces.
     */
    private io.temporal.api.workflowservice.v1.DescribeNamespaceResponse namespace(String name, String ownId,
                                                                               WorkflowTaskFailedCause cause,
                                                                               String command) {
        Namespace own = namespaces.withId(ownId);
        if (name.isEmpty() || name.equals(own.name())) {
            return own.description();
        }
        Optional<Namespace> target;
        try {
            target = Optional.of(namespaces.namespace(name));
        } catch (io.grpc.StatusRuntimeException notFound) {
            target = Optional.empty();
        }
        if (target.isEmpty() || !own.mayCommand(target.get())) {
            throw new CommandRejected(cause, command + ".namespace: namespace " + name + " is not found or does not "
                    + "accept commands from namespace " + own.name() + " (use a Nexus endpoint to call across "
                    + "namespaces)");
        }
        return target.get().description();
    }

    /**
     * Closes the run as continued-as-new and starts its successor in the same transition: the chain of runs has
     * no moment where neither exists. Unset options carry over from the closing run.
     */
    private static void continueAsNew(Mutation m, ContinueAsNewWorkflowExecutionCommandAttributes command,
                                      long completedEventId) {
        ExecutionState previous = m.state;
        WorkflowTaskFailedCause bad = WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_BAD_CONTINUE_AS_NEW_ATTRIBUTES;
        if (Durations.toMillis(command.getWorkflowRunTimeout()) < 0 || Durations.toMillis(command.getBackoffStartInterval()) < 0) {
            throw new CommandRejected(bad, "a timeout or backoff on ContinueAsNewWorkflowExecutionCommand is negative");
        }
        String workflowType = command.getWorkflowType().getName().isEmpty() ? previous.workflowType
                : command.getWorkflowType().getName();
        String taskQueue = Validation.commandTaskQueue(command.getTaskQueue(), previous.taskQueue, bad);
        long runTimeout = Durations.toMillis(command.getWorkflowRunTimeout()) > 0
                ? Durations.toMillis(command.getWorkflowRunTimeout()) : previous.runTimeoutMillis;
        long taskTimeout = Durations.toMillis(command.getWorkflowTaskTimeout()) > 0
                ? NewRuns.taskTimeoutMillis(command.getWorkflowTaskTimeout()) : previous.workflowTaskTimeoutMillis;
        NewRuns.RunSpec spec = new NewRuns.RunSpec(workflowType, taskQueue,
                PresentFields.orNull(command.hasInput(), command.getInput()),
                PresentFields.orNull(command.hasHeader(), command.getHeader()),
                command.hasMemo() ? command.getMemo() : RunChains.parse(previous.memo, io.temporal.api.common.v1.Memo.parser()),
                command.hasSearchAttributes() ? command.getSearchAttributes()
                        : RunChains.parse(previous.searchAttributes, io.temporal.api.common.v1.SearchAttributes.parser()),
                command.hasRetryPolicy() ? command.getRetryPolicy()
                        : RunChains.parse(previous.retryPolicy, RetryPolicy.parser()),
                command.getCronSchedule().isEmpty() ? previous.cronSchedule : command.getCronSchedule(),
                previous.executionTimeoutMillis, runTimeout, taskTimeout, "", java.util.UUID.randomUUID().toString(),
                previous.firstRunId, previous.runId, command.getInitiator() == ContinueAsNewInitiator.CONTINUE_AS_NEW_INITIATOR_UNSPECIFIED
                ? ContinueAsNewInitiator.CONTINUE_AS_NEW_INITIATOR_WORKFLOW : command.getInitiator(), 1,
                Durations.toMillis(command.getBackoffStartInterval()), previous.executionExpirationMillis,
                command.hasFailure() ? command.getFailure() : null,
                command.hasLastCompletionResult() ? command.getLastCompletionResult() : null);
        ExecutionState next = NewRuns.state(previous.namespaceId, previous.workflowId, spec);
        next.parent = previous.parent; // the chain stays the parent's child; only its final run reports back
        Mutation successor = m.startSuccessor(next);
        m.append(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW,
                e -> PresentFields.copy(command, e.getWorkflowExecutionContinuedAsNewEventAttributesBuilder())
                        .setNewExecutionRunId(next.runId)
                        .setWorkflowType(io.temporal.api.common.v1.WorkflowType.newBuilder().setName(workflowType))
                        .setTaskQueue(TaskQueue.newBuilder().setName(taskQueue).setKind(TaskQueueKind.TASK_QUEUE_KIND_NORMAL))
                        .setWorkflowRunTimeout(Durations.fromMillis(runTimeout))
                        .setWorkflowTaskTimeout(Durations.fromMillis(taskTimeout))
                        .setWorkflowTaskCompletedEventId(completedEventId));
        close(m, WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_CONTINUED_AS_NEW);
        NewRuns.begin(successor, spec, s -> { });
    }

    /**
     * Closes the run: nothing of it stays queued or armed. Its activities, timers and workflow task are dropped
     * with their rows; the current-run pointer records the new status.
     */
    static void close(Mutation m, WorkflowExecutionStatus status) {
        ExecutionState state = m.state;
        state.status = status.getNumber();
        state.closeTimeMillis = m.now;
        for (ActivityInfo activity : state.activities.values()) {
            if (!activity.started && activity.retryTimer == null) {
                m.completeTransferTask(activity.transferTaskId);
            }
            Activities.clearTimers(m, activity);
        }
        state.activities.clear();
        state.timers.values().forEach(t -> m.completeTimer(t.timer));
        state.timers.clear();
        if (state.workflowTask != null) {
            if (state.workflowTask.startedEventId == 0) {
                m.completeTransferTask(state.workflowTask.transferTaskId);
            }
            m.completeTimer(state.workflowTask.timer);
            state.workflowTask = null;
        }
        m.completeTimer(state.runTimeoutTimer);
        state.runTimeoutTimer = null;
        m.completeTimer(state.backoffTimer);
        state.backoffTimer = null;
        m.currentRunChanged = true;
        // Children left running follow their parent close policy (terminate by default); kept in state for that.
        state.children.forEach((initiatedEventId, child) -> {
            if (child.parentClosePolicy != io.temporal.api.enums.v1.ParentClosePolicy.PARENT_CLOSE_POLICY_ABANDON_VALUE) {
                m.addCrossWorkflowTask(DispatchTask.Kind.PARENT_CLOSE_POLICY, initiatedEventId);
            }
        });
        if (state.parent != null && m.successor == null) {
            // A run followed by another (continue-as-new, retry, cron) leaves the reporting to the last one.
            m.addCrossWorkflowTask(DispatchTask.Kind.CHILD_CLOSED, 0);
        }
        // Closed runs stay readable (history, describe, queries) for the namespace's retention, then go.
        state.retentionTimer = m.addTimer(TimerTask.Kind.DELETE_CLOSED_RUN, 0, 0, 0, null, m.now + m.retentionMillis)
                .ref();
    }

    /** Temporal's rules for an activity's timeouts and retry policy when the command leaves them out. */
    static final class ActivityTimeouts {

        private ActivityTimeouts() {
        }

        static ActivityTaskScheduledEventAttributes.Builder normalize(ScheduleActivityTaskCommandAttributes command,
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
            long runTimeout = state.runTimeoutMillis;
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
            String taskQueue = Validation.commandTaskQueue(command.getTaskQueue(), state.taskQueue, bad);
            return PresentFields.copy(command, ActivityTaskScheduledEventAttributes.newBuilder())
                    .setTaskQueue(TaskQueue.newBuilder().setName(taskQueue).setKind(TaskQueueKind.TASK_QUEUE_KIND_NORMAL))
                    .setScheduleToCloseTimeout(Durations.fromMillis(scheduleToClose))
                    .setScheduleToStartTimeout(Durations.fromMillis(scheduleToStart))
                    .setStartToCloseTimeout(Durations.fromMillis(startToClose))
                    .setHeartbeatTimeout(Durations.fromMillis(heartbeat))
                    .setRetryPolicy(retryPolicy(command.getRetryPolicy()));
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
