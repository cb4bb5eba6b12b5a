package dev.aeon.dataplane.history;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.Timestamps;
import dev.aeon.dataplane.frontend.ApiErrors;
import dev.aeon.dataplane.history.ExecutionState.ActivityInfo;
import dev.aeon.dataplane.matching.DispatchTask;
import dev.aeon.dataplane.namespace.NamespaceRegistry;
import io.temporal.api.common.v1.Payloads;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.common.v1.WorkflowType;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.RetryState;
import io.temporal.api.failure.v1.Failure;
import io.temporal.api.history.v1.ActivityTaskScheduledEventAttributes;
import io.temporal.api.workflowservice.v1.PollActivityTaskQueueRequest;
import io.temporal.api.workflowservice.v1.PollActivityTaskQueueResponse;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Optional;
import java.util.UUID;

/**
 * The activity lifecycle: scheduled → started (a worker polled it; kept in mutable state only) → completed,
 * failed or canceled, at which point its started and closing events are written together, as Temporal does.
 */
@ApplicationScoped
public class Activities {

    private final HistoryEngine engine;
    private final WorkflowTasks workflowTasks;
    private final NamespaceRegistry namespaces;

    public Activities(HistoryEngine engine, WorkflowTasks workflowTasks, NamespaceRegistry namespaces) {
        this.engine = engine;
        this.workflowTasks = workflowTasks;
        this.namespaces = namespaces;
    }

    /** A worker's poll matched this task: record the start. Empty when the task is stale. */
    public Optional<PollActivityTaskQueueResponse> recordStarted(DispatchTask dispatched,
                                                                 PollActivityTaskQueueRequest poll) {
        record Started(ActivityInfo activity, String workflowType) {
        }
        Started started;
        try {
            started = engine.update(dispatched.namespaceId(), dispatched.workflowId(), dispatched.runId(), m -> {
                ActivityInfo activity = m.state.activities.get(dispatched.scheduledEventId());
                if (!m.state.isRunning() || activity == null || activity.started
                        || activity.transferTaskId != dispatched.taskId()) {
                    return null;
                }
                activity.started = true;
                activity.startedTimeMillis = m.now;
                activity.startedIdentity = poll.getIdentity();
                activity.startedRequestId = UUID.randomUUID().toString();
                m.completeTransferTask(activity.transferTaskId);
                m.touch();
                return new Started(activity, m.state.workflowType);
            });
        } catch (io.grpc.StatusRuntimeException e) {
            if (e.getStatus().getCode() == io.grpc.Status.Code.NOT_FOUND) {
                return Optional.empty();
            }
            throw e;
        }
        if (started == null) {
            return Optional.empty();
        }
        ActivityInfo activity = started.activity();
        ActivityTaskScheduledEventAttributes scheduled = scheduledAttributes(activity);
        TaskToken token = new TaskToken(dispatched.namespaceId(), dispatched.workflowId(), dispatched.runId(),
                activity.scheduledEventId, 0, activity.attempt);
        PollActivityTaskQueueResponse.Builder response = PollActivityTaskQueueResponse.newBuilder()
                .setTaskToken(token.encode())
                .setWorkflowNamespace(namespaces.byId(dispatched.namespaceId()).getNamespaceInfo().getName())
                .setWorkflowType(WorkflowType.newBuilder().setName(started.workflowType()))
                .setWorkflowExecution(WorkflowExecution.newBuilder().setWorkflowId(dispatched.workflowId())
                        .setRunId(dispatched.runId()))
                .setActivityType(scheduled.getActivityType())
                .setActivityId(scheduled.getActivityId())
                .setHeader(scheduled.getHeader())
                .setInput(scheduled.getInput())
                .setScheduledTime(Timestamps.fromMillis(activity.scheduledTimeMillis))
                .setCurrentAttemptScheduledTime(Timestamps.fromMillis(activity.currentAttemptScheduledTimeMillis))
                .setStartedTime(Timestamps.fromMillis(activity.startedTimeMillis))
                .setAttempt(activity.attempt)
                .setScheduleToCloseTimeout(scheduled.getScheduleToCloseTimeout())
                .setStartToCloseTimeout(scheduled.getStartToCloseTimeout())
                .setHeartbeatTimeout(scheduled.getHeartbeatTimeout())
                .setRetryPolicy(scheduled.getRetryPolicy());
        if (activity.heartbeatDetails != null) {
            response.setHeartbeatDetails(payloads(activity.heartbeatDetails));
        }
        return Optional.of(response.build());
    }

    public void complete(TaskToken token, Payloads result, String identity) {
        engine.update(token.namespaceId(), token.workflowId(), token.runId(), m -> {
            ActivityInfo activity = startedActivity(m, token);
            long startedEventId = appendStarted(m, activity, null);
            m.appendOrBuffer(EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED,
                    e -> e.getActivityTaskCompletedEventAttributesBuilder()
                            .setResult(result)
                            .setScheduledEventId(activity.scheduledEventId)
                            .setStartedEventId(startedEventId)
                            .setIdentity(identity));
            finish(m, activity);
            return null;
        });
    }

    public void fail(TaskToken token, Failure failure, String identity) {
        engine.update(token.namespaceId(), token.workflowId(), token.runId(), m -> {
            ActivityInfo activity = startedActivity(m, token);
            long startedEventId = appendStarted(m, activity, failure);
            m.appendOrBuffer(EventType.EVENT_TYPE_ACTIVITY_TASK_FAILED,
                    e -> e.getActivityTaskFailedEventAttributesBuilder()
                            .setFailure(failure)
                            .setScheduledEventId(activity.scheduledEventId)
                            .setStartedEventId(startedEventId)
                            .setIdentity(identity)
                            .setRetryState(RetryState.RETRY_STATE_RETRY_POLICY_NOT_SET));
            finish(m, activity);
            return null;
        });
    }

    public void canceled(TaskToken token, Payloads details, String identity) {
        engine.update(token.namespaceId(), token.workflowId(), token.runId(), m -> {
            ActivityInfo activity = startedActivity(m, token);
            long startedEventId = appendStarted(m, activity, null);
            m.appendOrBuffer(EventType.EVENT_TYPE_ACTIVITY_TASK_CANCELED,
                    e -> e.getActivityTaskCanceledEventAttributesBuilder()
                            .setDetails(details)
                            .setScheduledEventId(activity.scheduledEventId)
                            .setStartedEventId(startedEventId)
                            .setIdentity(identity));
            finish(m, activity);
            return null;
        });
    }

    /** Writes (or buffers) the attempt's started event; returns its id, or UNASSIGNED when buffered. */
    private static long appendStarted(Mutation m, ActivityInfo activity, Failure lastFailure) {
        long eventId = m.state.nextEventId;
        boolean appended = m.appendOrBuffer(EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED, e -> {
            var started = e.getActivityTaskStartedEventAttributesBuilder()
                    .setScheduledEventId(activity.scheduledEventId)
                    .setIdentity(activity.startedIdentity)
                    .setRequestId(activity.startedRequestId)
                    .setAttempt(activity.attempt);
            if (lastFailure != null) {
                started.setLastFailure(lastFailure);
            }
        });
        return appended ? eventId : Mutation.UNASSIGNED;
    }

    /** The activity is done: the workflow needs a workflow task to see it, unless one is already coming. */
    private void finish(Mutation m, ActivityInfo activity) {
        m.state.activities.remove(activity.scheduledEventId);
        if (m.state.workflowTask == null) {
            workflowTasks.schedule(m);
        }
    }

    /** The started attempt the token names, or NOT_FOUND as Temporal answers for a stale token. */
    private static ActivityInfo startedActivity(Mutation m, TaskToken token) {
        ActivityInfo activity = m.state.activities.get(token.scheduledEventId());
        if (!m.state.isRunning() || activity == null || !activity.started || activity.attempt != token.attempt()) {
            throw ApiErrors.notFound("Activity task not found.");
        }
        return activity;
    }

    static ActivityTaskScheduledEventAttributes scheduledAttributes(ActivityInfo activity) {
        try {
            return ActivityTaskScheduledEventAttributes.parseFrom(activity.scheduledAttributes);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("corrupt activity record", e);
        }
    }

    private static Payloads payloads(byte[] bytes) {
        try {
            return Payloads.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("corrupt heartbeat details", e);
        }
    }
}
