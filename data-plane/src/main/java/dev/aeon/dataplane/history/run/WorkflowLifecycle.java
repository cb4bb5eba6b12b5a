package dev.aeon.dataplane.history.run;

import dev.aeon.dataplane.cluster.PeerMessage;
import dev.aeon.dataplane.history.engine.OwnerCalls;

import dev.aeon.dataplane.history.state.ActivityState;
import dev.aeon.dataplane.history.state.WorkflowTaskState;
import dev.aeon.dataplane.history.activity.Activities;
import dev.aeon.dataplane.history.engine.HistoryEngine;
import dev.aeon.dataplane.history.engine.RunTerminator;
import dev.aeon.dataplane.history.engine.TimerDispatcher;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import dev.aeon.dataplane.history.engine.Mutation;
import dev.aeon.dataplane.history.rules.Limits;
import dev.aeon.dataplane.history.rules.PresentFields;
import dev.aeon.dataplane.history.rules.Validation;
import dev.aeon.dataplane.history.state.AutoResetPoints;
import dev.aeon.dataplane.history.state.ExecutionState;
import dev.aeon.dataplane.history.state.TimerTask;
import dev.aeon.dataplane.history.workflowtask.WorkflowTasks;
import com.google.protobuf.util.Durations;
import com.google.protobuf.util.Timestamps;
import dev.aeon.dataplane.errors.ApiErrors;
import dev.aeon.dataplane.history.state.ActivityInfo;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.common.v1.WorkflowType;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.PendingActivityState;
import io.temporal.api.enums.v1.RetryState;
import io.temporal.api.enums.v1.TaskQueueKind;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.enums.v1.WorkflowTaskFailedCause;
import io.temporal.api.failure.v1.Failure;
import io.temporal.api.history.v1.ActivityTaskScheduledEventAttributes;
import io.temporal.api.taskqueue.v1.TaskQueue;
import io.temporal.api.workflow.v1.PendingActivityInfo;
import io.temporal.api.workflow.v1.WorkflowExecutionConfig;
import io.temporal.api.workflow.v1.WorkflowExecutionInfo;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionResponse;
import io.temporal.api.workflowservice.v1.RequestCancelWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.SignalWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.TerminateWorkflowExecutionRequest;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * What clients do to a running workflow from outside: signal it, ask it to cancel, terminate it, describe it;
 * and the run timeout that ends it.
 */
@ApplicationScoped
public class WorkflowLifecycle implements RunTerminator {

    /** How many signal request ids a run remembers for deduplication. */
    private static final int MAX_REMEMBERED_SIGNAL_REQUESTS = 1000;

    private final HistoryEngine engine;
    private final OwnerCalls owners;

    public WorkflowLifecycle(HistoryEngine engine, TimerDispatcher timers, OwnerCalls owners) {
        this.engine = engine;
        this.owners = owners;
        // Another node's workflow signals, cancels or terminates one whose shard this node owns.
        owners.serve("lifecycle.signal", in -> {
            signalHere(in.string(), in.proto(SignalWorkflowExecutionRequest.parser()), sender(in));
            return null;
        });
        owners.serve("lifecycle.requestCancel", in -> {
            requestCancelHere(in.string(), in.proto(RequestCancelWorkflowExecutionRequest.parser()), sender(in));
            return null;
        });
        owners.serve("lifecycle.terminate", in -> {
            terminateHere(in.string(), in.proto(TerminateWorkflowExecutionRequest.parser()));
            return null;
        });
        timers.handle(TimerTask.Kind.WORKFLOW_RUN_TIMEOUT, this::onRunTimeout);
        timers.handle(TimerTask.Kind.WORKFLOW_BACKOFF, NewRuns::onBackoff);
    }

    /** Created before the engine reloads timers, so none fires without its handler. */
    void init(@Observes @Priority(1) StartupEvent event) {
    }

    @Override
    public void terminate(Mutation m, String reason, String identity) {
        terminateRun(m, reason, null, identity);
    }

    /** The workflow whose command sent a signal or a cancel request, which Temporal records in the target's event. */
    public record Sender(io.temporal.api.common.v1.WorkflowExecution execution, long initiatedEventId) {
    }

    private static PeerMessage.Writer arguments(String namespaceId, com.google.protobuf.MessageLite request,
                                                Sender sender) {
        PeerMessage.Writer out = PeerMessage.write().string(namespaceId).proto(request);
        return sender == null ? out.string(null)
                : out.string("sender").proto(sender.execution()).number(sender.initiatedEventId());
    }

    private static Sender sender(PeerMessage.Reader in) {
        return in.string() == null ? null
                : new Sender(in.proto(io.temporal.api.common.v1.WorkflowExecution.parser()), in.number());
    }

    public void signal(String namespaceId, SignalWorkflowExecutionRequest request) {
        signal(namespaceId, request, null);
    }

    /** @param sender the signalling workflow, or null for a client's signal */
    public void signal(String namespaceId, SignalWorkflowExecutionRequest request, Sender sender) {
        if (owners.onOwner(namespaceId, request.getWorkflowExecution().getWorkflowId(), "lifecycle.signal",
                () -> arguments(namespaceId, request, sender).done()).isEmpty()) {
            signalHere(namespaceId, request, sender);
        }
    }

    private void signalHere(String namespaceId, SignalWorkflowExecutionRequest request, Sender sender) {
        Validation.requireId("workflow_execution.workflow_id", request.getWorkflowExecution().getWorkflowId());
        Validation.requireId("signal_name", request.getSignalName());
        Limits.checkRequest("input", request.getInput());
        running(namespaceId, request.getWorkflowExecution(), "", m -> {
            if (!request.getRequestId().isEmpty()
                    && !m.state.recordSignalRequest(request.getRequestId(), MAX_REMEMBERED_SIGNAL_REQUESTS)) {
                return; // this signal was delivered already (a retried request)
            }
            m.appendOrBuffer(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED, e -> {
                var signaled = PresentFields.copy(request, e.getWorkflowExecutionSignaledEventAttributesBuilder());
                if (sender != null) {
                    // Deduplicated by the request id above; the event names the sender instead, as Temporal's does.
                    signaled.clearRequestId().setExternalWorkflowExecution(sender.execution());
                }
            });
            WorkflowTasks.needed(m);
        });
    }

    public void requestCancel(String namespaceId, RequestCancelWorkflowExecutionRequest request) {
        requestCancel(namespaceId, request, null);
    }

    /** @param sender the workflow that asked, or null for a client */
    public void requestCancel(String namespaceId, RequestCancelWorkflowExecutionRequest request, Sender sender) {
        if (owners.onOwner(namespaceId, request.getWorkflowExecution().getWorkflowId(), "lifecycle.requestCancel",
                () -> arguments(namespaceId, request, sender).done()).isEmpty()) {
            requestCancelHere(namespaceId, request, sender);
        }
    }

    private void requestCancelHere(String namespaceId, RequestCancelWorkflowExecutionRequest request, Sender sender) {
        Validation.requireId("workflow_execution.workflow_id", request.getWorkflowExecution().getWorkflowId());
        running(namespaceId, request.getWorkflowExecution(), request.getFirstExecutionRunId(), m -> {
            if (m.state.cancelRequested()) {
                return; // asked already: Temporal answers success and records nothing new
            }
            m.state.requestCancel();
            m.appendOrBuffer(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCEL_REQUESTED,
                    e -> {
                        var requested = e.getWorkflowExecutionCancelRequestedEventAttributesBuilder()
                                .setCause(request.getReason())
                                .setIdentity(request.getIdentity());
                        if (sender != null) {
                            requested.setExternalWorkflowExecution(sender.execution())
                                    .setExternalInitiatedEventId(sender.initiatedEventId());
                        }
                    });
            WorkflowTasks.needed(m);
        });
    }

    public void terminate(String namespaceId, TerminateWorkflowExecutionRequest request) {
        if (owners.onOwner(namespaceId, request.getWorkflowExecution().getWorkflowId(), "lifecycle.terminate",
                () -> arguments(namespaceId, request, null).done()).isEmpty()) {
            terminateHere(namespaceId, request);
        }
    }

    private void terminateHere(String namespaceId, TerminateWorkflowExecutionRequest request) {
        Validation.requireId("workflow_execution.workflow_id", request.getWorkflowExecution().getWorkflowId());
        running(namespaceId, request.getWorkflowExecution(), request.getFirstExecutionRunId(),
                m -> terminateRun(m, request.getReason(), request.getDetails(), request.getIdentity()));
    }

    /**
     * DeleteWorkflowExecution: a running run is terminated first, then the run and its history are removed, as
     * retention would later: at once, or, while its close still has work between workflows to do (its children's
     * parent close policies), by a durable timer once that is done.
     */
    public void delete(String namespaceId, WorkflowExecution execution) {
        Validation.requireId("workflow_execution.workflow_id", execution.getWorkflowId());
        String runId = engine.resolveRunId(namespaceId, execution.getWorkflowId(), execution.getRunId());
        boolean closeWorkPending = engine.update(namespaceId, execution.getWorkflowId(), runId, m -> {
            if (m.state.isRunning()) {
                terminateRun(m, "Delete workflow execution", null, "");
            }
            if (!m.state.hasPendingCrossWorkflowTasks()) {
                return false;
            }
            m.deleteSoon();
            return true;
        });
        if (!closeWorkPending) {
            engine.deleteRun(namespaceId, execution.getWorkflowId(), runId, null);
        }
    }

    /** Ends a running run now: its in-flight task fails, buffered events are written, then the terminated event. */
    public static void terminateRun(Mutation m, String reason, io.temporal.api.common.v1.Payloads details, String identity) {
        failInFlightTask(m, WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_FORCE_CLOSE_COMMAND);
        m.flushBuffered();
        m.append(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED, e -> {
            var terminated = e.getWorkflowExecutionTerminatedEventAttributesBuilder().setReason(reason)
                    .setIdentity(identity == null ? "" : identity);
            if (details != null) {
                terminated.setDetails(details);
            }
        });
        RunClose.close(m, WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_TERMINATED);
    }

    /** Arms the run timeout when the run starts; it counts from the end of the first task's backoff. */
    public static void armRunTimeout(Mutation m, long backoffMillis) {
        if (m.state.runTimeoutMillis() > 0) {
            m.state.setRunTimeoutTimer(m.armRunTimer(TimerTask.Kind.WORKFLOW_RUN_TIMEOUT,
                    m.now + backoffMillis + m.state.runTimeoutMillis()));
        }
    }

    private void onRunTimeout(Mutation m, TimerTask timer) {
        if (!m.state.isRunning() || !timer.ref().equals(m.state.runTimeoutTimer())) {
            return;
        }
        m.state.setRunTimeoutTimer(null);
        failInFlightTask(m, WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_FORCE_CLOSE_COMMAND);
        m.flushBuffered();
        Failure timeout = Failure.newBuilder().setMessage("workflow run timed out").setSource("Server")
                .setTimeoutFailureInfo(io.temporal.api.failure.v1.TimeoutFailureInfo.newBuilder()
                        .setTimeoutType(io.temporal.api.enums.v1.TimeoutType.TIMEOUT_TYPE_START_TO_CLOSE)).build();
        RunChains.Next next = RunChains.afterFailure(m, timeout);
        RetryState retryState = next.retryState() == RetryState.RETRY_STATE_IN_PROGRESS ? next.retryState()
                : RetryState.RETRY_STATE_TIMEOUT;
        m.append(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TIMED_OUT,
                e -> e.getWorkflowExecutionTimedOutEventAttributesBuilder().setRetryState(retryState)
                        .setNewExecutionRunId(next.newRunId()));
        RunClose.close(m, WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_TIMED_OUT);
        next.begin();
    }

    /** The run as it stands; its custom search attributes by field, as the run keeps them (the frontend names them). */
    public DescribeWorkflowExecutionResponse describe(String namespaceId, WorkflowExecution execution) {
        Validation.requireId("execution.workflow_id", execution.getWorkflowId());
        String runId = engine.resolveRunId(namespaceId, execution.getWorkflowId(), execution.getRunId());
        ExecutionState state = engine.read(namespaceId, execution.getWorkflowId(), runId).state();
        WorkflowExecutionInfo.Builder info = WorkflowExecutionInfo.newBuilder()
                .setExecution(WorkflowExecution.newBuilder().setWorkflowId(state.workflowId()).setRunId(state.runId()))
                .setType(WorkflowType.newBuilder().setName(state.workflowType()))
                .setStartTime(Timestamps.fromMillis(state.startTimeMillis()))
                .setExecutionTime(Timestamps.fromMillis(state.executionTimeMillis()))
                .setStatus(WorkflowExecutionStatus.forNumber(state.status()))
                .setHistoryLength(state.nextEventId() - 1)
                .setTaskQueue(state.taskQueue())
                .setFirstRunId(state.firstRunId());
        // Temporal always sets both, empty when the run has none; the Go SDK reads search attributes unchecked.
        try {
            info.setMemo(state.memo() == null ? io.temporal.api.common.v1.Memo.getDefaultInstance()
                    : io.temporal.api.common.v1.Memo.parseFrom(state.memo()));
            info.setSearchAttributes(state.searchAttributes() == null
                    ? io.temporal.api.common.v1.SearchAttributes.getDefaultInstance()
                    : io.temporal.api.common.v1.SearchAttributes.parseFrom(state.searchAttributes()));
            if (state.autoResetPoints() != null) {
                info.setAutoResetPoints(AutoResetPoints.of(state));
            }
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new IllegalStateException("corrupt execution record", e);
        }
        if (!state.isRunning()) {
            info.setCloseTime(Timestamps.fromMillis(state.closeTimeMillis()));
            info.setExecutionDuration(Durations.fromMillis(state.closeTimeMillis() - state.startTimeMillis()));
        }
        DescribeWorkflowExecutionResponse.Builder response = DescribeWorkflowExecutionResponse.newBuilder()
                .setExecutionConfig(WorkflowExecutionConfig.newBuilder()
                        .setTaskQueue(TaskQueue.newBuilder().setName(state.taskQueue())
                                .setKind(TaskQueueKind.TASK_QUEUE_KIND_NORMAL))
                        .setWorkflowExecutionTimeout(Durations.fromMillis(state.executionTimeoutMillis()))
                        .setWorkflowRunTimeout(Durations.fromMillis(state.runTimeoutMillis()))
                        .setDefaultWorkflowTaskTimeout(Durations.fromMillis(state.workflowTaskTimeoutMillis())))
                .setWorkflowExecutionInfo(info);
        // As Temporal: the start's user metadata (summary, details) is read from the started event, where it is kept.
        engine.events(state, 1, 2).stream().filter(io.temporal.api.history.v1.HistoryEvent::hasUserMetadata).findFirst().ifPresent(started ->
                response.getExecutionConfigBuilder().setUserMetadata(started.getUserMetadata()));
        for (ActivityInfo activity : state.activities().values()) {
            response.addPendingActivities(pending(activity));
        }
        if (state.isRunning()) {
            state.children().forEach((initiated, child) -> response.addPendingChildren(
                    io.temporal.api.workflow.v1.PendingChildExecutionInfo.newBuilder()
                            .setInitiatedId(initiated)
                            .setWorkflowId(child.workflowId())
                            .setRunId(child.runId() == null ? "" : child.runId())
                            .setWorkflowTypeName(child.workflowType())
                            .setParentClosePolicy(io.temporal.api.enums.v1.ParentClosePolicy.forNumber(child.parentClosePolicy()))));
        }
        if (state.isRunning()) {
            state.nexusOperations().values().forEach(operation ->
                    response.addPendingNexusOperations(PendingNexusOperations.of(operation)));
        }
        if (state.parent() == null) {
            info.setRootExecution(info.getExecution());
        } else if (state.parent().rootWorkflowId() != null) {
            info.setRootExecution(WorkflowExecution.newBuilder().setWorkflowId(state.parent().rootWorkflowId())
                    .setRunId(state.parent().rootRunId()));
        }
        if (state.parent() != null) {
            info.setParentNamespaceId(state.parent().namespaceId()).setParentExecution(WorkflowExecution.newBuilder()
                    .setWorkflowId(state.parent().workflowId()).setRunId(state.parent().runId()));
            response.setWorkflowExecutionInfo(info);
        }
        return response.build();
    }

    private static PendingActivityInfo pending(ActivityInfo activity) {
        ActivityTaskScheduledEventAttributes scheduled = Activities.scheduledAttributes(activity);
        PendingActivityState state = activity.cancelRequested() ? PendingActivityState.PENDING_ACTIVITY_STATE_CANCEL_REQUESTED
                : activity.state() == ActivityState.STARTED ? PendingActivityState.PENDING_ACTIVITY_STATE_STARTED
                : PendingActivityState.PENDING_ACTIVITY_STATE_SCHEDULED;
        PendingActivityInfo.Builder info = PendingActivityInfo.newBuilder()
                .setActivityId(activity.activityId())
                .setActivityType(scheduled.getActivityType())
                .setState(state)
                .setAttempt(activity.attempt())
                .setMaximumAttempts(scheduled.getRetryPolicy().getMaximumAttempts())
                .setScheduledTime(Timestamps.fromMillis(activity.currentAttemptScheduledTimeMillis()))
                .setLastWorkerIdentity(activity.startedIdentity());
        if (activity.state() == ActivityState.STARTED) {
            info.setLastStartedTime(Timestamps.fromMillis(activity.startedTimeMillis()));
        }
        if (activity.lastHeartbeatMillis() > 0) {
            info.setLastHeartbeatTime(Timestamps.fromMillis(activity.lastHeartbeatMillis()));
        }
        try {
            if (activity.heartbeatDetails() != null) {
                info.setHeartbeatDetails(io.temporal.api.common.v1.Payloads.parseFrom(activity.heartbeatDetails()));
            }
            if (activity.lastFailure() != null) {
                info.setLastFailure(Failure.parseFrom(activity.lastFailure()));
            }
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new IllegalStateException("corrupt activity record", e);
        }
        if (activity.retryTimer() != null) {
            info.setNextAttemptScheduleTime(Timestamps.fromMillis(activity.retryTimer().fireAtMillis()));
        }
        long scheduleToClose = Durations.toMillis(scheduled.getScheduleToCloseTimeout());
        if (scheduleToClose > 0) {
            info.setExpirationTime(Timestamps.fromMillis(activity.scheduledTimeMillis() + scheduleToClose));
        }
        return info.build();
    }

    /** A workflow task that a worker is processing when the run is forced closed is recorded as failed. */
    private static void failInFlightTask(Mutation m, WorkflowTaskFailedCause cause) {
        var task = m.state.workflowTask();
        if (task != null && task.state() == WorkflowTaskState.STARTED) {
            m.append(EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED, e -> e.getWorkflowTaskFailedEventAttributesBuilder()
                    .setScheduledEventId(task.scheduledEventId())
                    .setStartedEventId(task.startedEventId())
                    .setCause(cause));
            m.completeTimer(task.timer());
            m.state.endWorkflowTask(WorkflowTaskState.FAILED);
        }
    }

    /**
     * Applies {@code change} to a running run. A {@code firstExecutionRunId} (cancel, terminate) targets the
     * workflow id's current run, whatever run id is given, and only if that run belongs to the chain that began
     * with that run, as in Temporal: a client holding an old handle cannot cancel an unrelated later workflow that
     * reused the id.
     */
    private void running(String namespaceId, WorkflowExecution execution, String firstExecutionRunId,
                         java.util.function.Consumer<Mutation> change) {
        String runId = engine.resolveRunId(namespaceId, execution.getWorkflowId(),
                firstExecutionRunId.isEmpty() ? execution.getRunId() : "");
        engine.update(namespaceId, execution.getWorkflowId(), runId, m -> {
            if (!m.state.isRunning()) {
                throw ApiErrors.notFound("workflow execution already completed");
            }
            if (!firstExecutionRunId.isEmpty() && !firstExecutionRunId.equals(m.state.firstRunId())) {
                throw ApiErrors.notFound("workflow execution not found");
            }
            change.accept(m);
            return null;
        });
    }
}
