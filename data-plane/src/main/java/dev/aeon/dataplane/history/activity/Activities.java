package dev.aeon.dataplane.history.activity;

import dev.aeon.dataplane.history.workflowtask.WorkflowTasks;
import dev.aeon.dataplane.history.state.ActivityState;
import dev.aeon.dataplane.history.engine.HistoryEngine;
import dev.aeon.dataplane.history.engine.TimerDispatcher;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import dev.aeon.dataplane.history.engine.Mutation;
import dev.aeon.dataplane.history.engine.TaskToken;
import dev.aeon.dataplane.history.rules.Limits;
import dev.aeon.dataplane.history.rules.RetryPolicies;
import dev.aeon.dataplane.history.state.TimerTask;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.Durations;
import com.google.protobuf.util.Timestamps;
import dev.aeon.dataplane.errors.ApiErrors;
import dev.aeon.dataplane.history.state.ActivityInfo;
import dev.aeon.dataplane.history.rules.RetryPolicies.Decision;
import dev.aeon.dataplane.matching.DispatchTask;
import dev.aeon.dataplane.namespace.NamespaceRegistry;
import io.temporal.api.common.v1.Payloads;
import io.temporal.api.common.v1.WorkerVersionStamp;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.common.v1.WorkflowType;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.RetryState;
import io.temporal.api.enums.v1.TimeoutType;
import io.temporal.api.failure.v1.Failure;
import io.temporal.api.failure.v1.TimeoutFailureInfo;
import io.temporal.api.history.v1.ActivityTaskScheduledEventAttributes;
import io.temporal.api.workflowservice.v1.PollActivityTaskQueueRequest;
import io.temporal.api.workflowservice.v1.PollActivityTaskQueueResponse;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Optional;
import java.util.UUID;

/**
 * The activity lifecycle: scheduled → started (a worker polled it; kept in mutable state only) → completed,
 * failed, canceled or timed out, when its started and closing events are written together, as Temporal does.
 * A failure or a start-to-close/heartbeat timeout that the retry policy allows schedules the next attempt after
 * its backoff instead; schedule-to-start and schedule-to-close timeouts are final.
 *
 * <p>Over 400 lines: each of the activity RPCs (start by poll, complete, fail, cancel, heartbeat, by token and by
 * id) and its timers is a short transition of the same {@link ActivityState} table, kept together so the table's
 * every move is in one file; the commands that create and cancel activities are in {@link ActivityCommands}.
 */
@ApplicationScoped
public class Activities {

    private final HistoryEngine engine;
    private final NamespaceRegistry namespaces;

    public Activities(HistoryEngine engine, NamespaceRegistry namespaces, TimerDispatcher timers) {
        this.engine = engine;
        this.namespaces = namespaces;
        timers.handle(TimerTask.Kind.ACTIVITY_TIMEOUT, this::onTimer);
        timers.handle(TimerTask.Kind.ACTIVITY_RETRY, this::onTimer);
    }

    /** Created before the engine reloads timers, so none fires without its handler. */
    void init(@Observes @Priority(1) StartupEvent event) {
    }

    /** Queues the activity's current attempt for workers and arms its attempt's timeouts. */
    public static void dispatch(Mutation m, ActivityInfo activity) {
        ActivityTaskScheduledEventAttributes scheduled = scheduledAttributes(activity);
        activity.queued(m.now);
        long scheduleToStart = Durations.toMillis(scheduled.getScheduleToStartTimeout());
        if (scheduleToStart > 0) {
            activity.armTimeout(TimeoutType.TIMEOUT_TYPE_SCHEDULE_TO_START, m.armTimeout(TimerTask.Kind.ACTIVITY_TIMEOUT,
                    activity.scheduledEventId(), activity.attempt(), TimeoutType.TIMEOUT_TYPE_SCHEDULE_TO_START,
                    m.now + scheduleToStart));
        }
        long scheduleToClose = Durations.toMillis(scheduled.getScheduleToCloseTimeout());
        if (scheduleToClose > 0 && activity.timeoutTimer(TimeoutType.TIMEOUT_TYPE_SCHEDULE_TO_CLOSE) == null) {
            activity.armTimeout(TimeoutType.TIMEOUT_TYPE_SCHEDULE_TO_CLOSE, m.armTimeout(TimerTask.Kind.ACTIVITY_TIMEOUT,
                    activity.scheduledEventId(), 0, TimeoutType.TIMEOUT_TYPE_SCHEDULE_TO_CLOSE,
                    activity.scheduledTimeMillis() + scheduleToClose));
        }
        m.addTransferTask(DispatchTask.Kind.ACTIVITY, scheduled.getTaskQueue().getName(), activity.scheduledEventId(),
                activity::queuedAs);
    }

    /** A worker's poll matched this task: record the start. Empty when the task is stale. */
    public Optional<PollActivityTaskQueueResponse> recordStarted(DispatchTask dispatched,
                                                                 PollActivityTaskQueueRequest poll) {
        record Started(ActivityInfo activity, String workflowType) {
        }
        Started started;
        try {
            started = engine.update(dispatched.namespaceId(), dispatched.workflowId(), dispatched.runId(), m -> {
                ActivityInfo activity = m.state.activities().get(dispatched.scheduledEventId());
                if (!m.state.isRunning() || activity == null || activity.state() != ActivityState.SCHEDULED
                        || activity.transferTaskId() != dispatched.taskId()) {
                    return null;
                }
                m.completeTransferTask(activity.transferTaskId());
                markStarted(m, activity, poll.getIdentity());
                return new Started(activity, m.state.workflowType());
            });
        } catch (io.grpc.StatusRuntimeException e) {
            if (e.getStatus().getCode() == io.grpc.Status.Code.NOT_FOUND) {
                engine.deleteTask(dispatched); // the run is gone (deleted); its task with it
                return Optional.empty();
            }
            throw e;
        }
        if (started == null) {
            return Optional.empty();
        }
        return Optional.of(task(dispatched.namespaceId(), dispatched.workflowId(), dispatched.runId(),
                started.workflowType(), started.activity()));
    }

    /**
     * Starts the activities a completion scheduled for its own worker (request_eager_execution), as Temporal does:
     * the worker that completed the workflow task gets them in its answer instead of through matching. One the same
     * completion canceled, or scheduled in a run it closed, stays as it is.
     *
     * @return their tasks, for the completion's answer
     */
    public java.util.List<PollActivityTaskQueueResponse> startEager(Mutation m, String identity) {
        java.util.List<PollActivityTaskQueueResponse> tasks = new java.util.ArrayList<>();
        for (ActivityInfo activity : m.eagerActivities) {
            if (!m.state.isRunning() || m.state.activities().get(activity.scheduledEventId()) != activity) {
                continue;
            }
            m.withdrawTransferTask(activity.transferTaskId());
            markStarted(m, activity, identity);
            tasks.add(task(m.state.namespaceId(), m.state.workflowId(), m.state.runId(), m.state.workflowType(), activity));
        }
        return tasks;
    }

    /** Records an attempt's start: its schedule-to-start timeout ends, its start-to-close and heartbeat ones begin. */
    private static void markStarted(Mutation m, ActivityInfo activity, String identity) {
        ActivityTaskScheduledEventAttributes scheduled = scheduledAttributes(activity);
        activity.recordStart(m.state.runId(), m.now, identity, UUID.randomUUID().toString());
        m.completeTimer(activity.disarm(TimeoutType.TIMEOUT_TYPE_SCHEDULE_TO_START));
        long startToClose = Durations.toMillis(scheduled.getStartToCloseTimeout());
        if (startToClose > 0) {
            activity.armTimeout(TimeoutType.TIMEOUT_TYPE_START_TO_CLOSE, m.armTimeout(TimerTask.Kind.ACTIVITY_TIMEOUT,
                    activity.scheduledEventId(), activity.attempt(), TimeoutType.TIMEOUT_TYPE_START_TO_CLOSE,
                    m.now + startToClose));
        }
        armHeartbeat(m, activity, scheduled);
    }

    /** The task a worker gets for a started attempt. */
    private PollActivityTaskQueueResponse task(String namespaceId, String workflowId, String runId,
                                               String workflowType, ActivityInfo activity) {
        ActivityTaskScheduledEventAttributes scheduled = scheduledAttributes(activity);
        TaskToken token = new TaskToken(namespaceId, workflowId, runId, activity.scheduledEventId(), 0, activity.attempt(), 0);
        PollActivityTaskQueueResponse.Builder response = PollActivityTaskQueueResponse.newBuilder()
                .setTaskToken(token.encode())
                .setWorkflowNamespace(namespaces.byId(namespaceId).getNamespaceInfo().getName())
                .setWorkflowType(WorkflowType.newBuilder().setName(workflowType))
                .setWorkflowExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId).setRunId(runId))
                .setActivityType(scheduled.getActivityType())
                .setActivityId(scheduled.getActivityId())
                .setScheduledTime(Timestamps.fromMillis(activity.scheduledTimeMillis()))
                .setCurrentAttemptScheduledTime(Timestamps.fromMillis(activity.currentAttemptScheduledTimeMillis()))
                .setStartedTime(Timestamps.fromMillis(activity.startedTimeMillis()))
                .setAttempt(activity.attempt())
                .setScheduleToCloseTimeout(scheduled.getScheduleToCloseTimeout())
                .setStartToCloseTimeout(scheduled.getStartToCloseTimeout())
                .setHeartbeatTimeout(scheduled.getHeartbeatTimeout())
                .setRetryPolicy(scheduled.getRetryPolicy());
        if (scheduled.hasHeader()) {
            response.setHeader(scheduled.getHeader());
        }
        if (scheduled.hasInput()) {
            response.setInput(scheduled.getInput());
        }
        if (activity.heartbeatDetails() != null) {
            response.setHeartbeatDetails(parse(activity.heartbeatDetails(), Payloads.parser()));
        }
        return response.build();
    }

    /** Which started attempt a completion is for: from a task token, or by activity id (async completion). */
    public record Target(String namespaceId, String workflowId, String runId, long scheduledEventId, int attempt,
                         String activityId) {

        public static Target of(TaskToken token) {
            return new Target(token.namespaceId(), token.workflowId(), token.runId(), token.scheduledEventId(),
                    token.attempt(), null);
        }

        public static Target byId(String namespaceId, String workflowId, String runId, String activityId) {
            return new Target(namespaceId, workflowId, runId, 0, 0, activityId);
        }
    }

    public void complete(TaskToken token, Payloads result, String identity) {
        complete(Target.of(token), result, identity);
    }

    /** @param result what the activity returned; null when the worker sent none (then the event has none either) */
    public void complete(Target target, Payloads result, String identity) {
        Limits.checkRequest("result", result);
        change(target, (m, activity) -> {
            long startedEventId = appendStarted(m, activity);
            m.appendOrBuffer(EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED, e -> {
                var completed = e.getActivityTaskCompletedEventAttributesBuilder();
                if (result != null) {
                    completed.setResult(result);
                }
                completed.setScheduledEventId(activity.scheduledEventId())
                        .setStartedEventId(startedEventId)
                        .setIdentity(identity);
            });
            finish(m, activity, ActivityState.COMPLETED);
        });
    }

    public void fail(TaskToken token, Failure failure, Payloads lastHeartbeatDetails, String identity) {
        fail(Target.of(token), failure, lastHeartbeatDetails, identity);
    }

    public void fail(Target target, Failure failure, Payloads lastHeartbeatDetails, String identity) {
        change(target, (m, activity) -> {
            if (lastHeartbeatDetails != null && lastHeartbeatDetails.getPayloadsCount() > 0) {
                activity.keepHeartbeatDetails(lastHeartbeatDetails.toByteArray());
            }
            ActivityTaskScheduledEventAttributes scheduled = scheduledAttributes(activity);
            Decision decision = RetryPolicies.next(scheduled.getRetryPolicy(), activity.attempt(), failure, m.now,
                    expiration(activity, scheduled));
            if (decision.retry()) {
                retry(m, activity, failure, decision.delayMillis());
                return;
            }
            long startedEventId = appendStarted(m, activity);
            m.appendOrBuffer(EventType.EVENT_TYPE_ACTIVITY_TASK_FAILED,
                    e -> e.getActivityTaskFailedEventAttributesBuilder()
                            .setFailure(failure)
                            .setScheduledEventId(activity.scheduledEventId())
                            .setStartedEventId(startedEventId)
                            .setIdentity(identity)
                            .setRetryState(decision.state()));
            finish(m, activity, ActivityState.FAILED);
        });
    }

    public void canceled(TaskToken token, Payloads details, String identity) {
        canceled(Target.of(token), details, identity);
    }

    /** @param details the worker's cancellation details; null when it sent none */
    public void canceled(Target target, Payloads details, String identity) {
        change(target, (m, activity) -> {
            long startedEventId = appendStarted(m, activity);
            m.appendOrBuffer(EventType.EVENT_TYPE_ACTIVITY_TASK_CANCELED, e -> {
                var canceled = e.getActivityTaskCanceledEventAttributesBuilder()
                        .setScheduledEventId(activity.scheduledEventId())
                        .setStartedEventId(startedEventId)
                        .setLatestCancelRequestedEventId(activity.cancelRequestedEventId())
                        .setIdentity(identity);
                if (details != null) {
                    canceled.setDetails(details);
                }
            });
            finish(m, activity, ActivityState.CANCELED);
        });
    }

    /** Records progress; returns whether cancellation was requested, which the worker passes to the activity. */
    public boolean heartbeat(Target target, Payloads details) {
        boolean[] cancelRequested = new boolean[1];
        change(target, (m, activity) -> {
            activity.recordHeartbeat(details.toByteArray(), m.now);
            m.completeTimer(activity.disarm(TimeoutType.TIMEOUT_TYPE_HEARTBEAT));
            armHeartbeat(m, activity, scheduledAttributes(activity));
            m.touch();
            cancelRequested[0] = activity.cancelRequested();
        });
        return cancelRequested[0];
    }

    /** A timeout or retry timer of an activity fired. */
    private void onTimer(Mutation m, TimerTask timer) {
        ActivityInfo activity = m.state.activities().get(timer.subjectId());
        if (!m.state.isRunning() || activity == null) {
            return;
        }
        if (timer.kind() == TimerTask.Kind.ACTIVITY_RETRY) {
            if (activity.attempt() == timer.attempt() && activity.state() == ActivityState.BACKING_OFF
                    && timer.ref().equals(activity.retryTimer())) {
                activity.retryDue(m.state.runId());
                dispatch(m, activity);
            }
            return;
        }
        TimeoutType type = TimeoutType.forNumber(timer.timeoutType());
        boolean current = switch (type) {
            case TIMEOUT_TYPE_SCHEDULE_TO_START -> activity.state() != ActivityState.STARTED && activity.attempt() == timer.attempt();
            case TIMEOUT_TYPE_START_TO_CLOSE -> activity.state() == ActivityState.STARTED && activity.attempt() == timer.attempt();
            case TIMEOUT_TYPE_HEARTBEAT -> activity.state() == ActivityState.STARTED && timer.ref().equals(activity.timeoutTimer(TimeoutType.TIMEOUT_TYPE_HEARTBEAT));
            case TIMEOUT_TYPE_SCHEDULE_TO_CLOSE -> true;
            default -> false;
        };
        if (!current) {
            return;
        }
        activity.disarmFired(timer.ref());
        Failure failure = timeoutFailure(type, activity);
        ActivityTaskScheduledEventAttributes scheduled = scheduledAttributes(activity);
        Decision decision = type == TimeoutType.TIMEOUT_TYPE_START_TO_CLOSE || type == TimeoutType.TIMEOUT_TYPE_HEARTBEAT
                ? RetryPolicies.next(scheduled.getRetryPolicy(), activity.attempt(), null, m.now,
                expiration(activity, scheduled))
                : Decision.stop(RetryState.RETRY_STATE_TIMEOUT);
        if (decision.retry()) {
            retry(m, activity, failure, decision.delayMillis());
            return;
        }
        long startedEventId = activity.state() == ActivityState.STARTED ? appendStarted(m, activity) : 0;
        // As Temporal: the last attempt's failure is the timeout's cause (why the retries did not succeed).
        Failure timedOut = activity.lastFailure() == null ? failure
                : failure.toBuilder().setCause(parse(activity.lastFailure(), Failure.parser())).build();
        m.appendOrBuffer(EventType.EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT,
                e -> e.getActivityTaskTimedOutEventAttributesBuilder()
                        .setFailure(timedOut)
                        .setScheduledEventId(activity.scheduledEventId())
                        .setStartedEventId(startedEventId)
                        .setRetryState(decision.state()));
        finish(m, activity, ActivityState.TIMED_OUT);
    }

    /** Drops every timer of an activity that leaves mutable state. */
    public static void clearTimers(Mutation m, ActivityInfo activity) {
        activity.timers().forEach(m::completeTimer);
    }

    private void retry(Mutation m, ActivityInfo activity, Failure failure, long delayMillis) {
        m.completeTimer(activity.disarm(TimeoutType.TIMEOUT_TYPE_START_TO_CLOSE));
        m.completeTimer(activity.disarm(TimeoutType.TIMEOUT_TYPE_HEARTBEAT));
        activity.backOff(m.state.runId(), failure.toByteArray(),
                attempt -> m.armActivityRetry(activity.scheduledEventId(), attempt, m.now + delayMillis));
        m.touch();
    }

    private static void armHeartbeat(Mutation m, ActivityInfo activity, ActivityTaskScheduledEventAttributes scheduled) {
        long heartbeat = Durations.toMillis(scheduled.getHeartbeatTimeout());
        if (heartbeat > 0) {
            activity.armTimeout(TimeoutType.TIMEOUT_TYPE_HEARTBEAT, m.armTimeout(TimerTask.Kind.ACTIVITY_TIMEOUT,
                    activity.scheduledEventId(), activity.attempt(), TimeoutType.TIMEOUT_TYPE_HEARTBEAT,
                    m.now + heartbeat));
        }
    }

    private static Failure timeoutFailure(TimeoutType type, ActivityInfo activity) {
        TimeoutFailureInfo.Builder info = TimeoutFailureInfo.newBuilder().setTimeoutType(type);
        if (activity.heartbeatDetails() != null) {
            info.setLastHeartbeatDetails(parse(activity.heartbeatDetails(), Payloads.parser()));
        }
        String name = switch (type) {
            case TIMEOUT_TYPE_SCHEDULE_TO_START -> "ScheduleToStart";
            case TIMEOUT_TYPE_SCHEDULE_TO_CLOSE -> "ScheduleToClose";
            case TIMEOUT_TYPE_HEARTBEAT -> "Heartbeat";
            default -> "StartToClose";
        };
        return Failure.newBuilder().setMessage("activity " + name + " timeout").setSource("Server")
                .setTimeoutFailureInfo(info).build();
    }

    private static long expiration(ActivityInfo activity, ActivityTaskScheduledEventAttributes scheduled) {
        long scheduleToClose = Durations.toMillis(scheduled.getScheduleToCloseTimeout());
        return scheduleToClose > 0 ? activity.scheduledTimeMillis() + scheduleToClose : 0;
    }

    /** Writes (or buffers) the attempt's started event; returns its id, or UNASSIGNED when buffered. */
    private static long appendStarted(Mutation m, ActivityInfo activity) {
        long eventId = m.state.nextEventId();
        boolean appended = m.appendOrBuffer(EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED, e -> {
            var started = e.getActivityTaskStartedEventAttributesBuilder()
                    .setScheduledEventId(activity.scheduledEventId())
                    .setIdentity(activity.startedIdentity())
                    .setRequestId(activity.startedRequestId())
                    .setAttempt(activity.attempt())
                    .setWorkerVersion(WorkerVersionStamp.getDefaultInstance()); // present and empty, as Temporal writes it
            if (activity.lastFailure() != null) {
                started.setLastFailure(parse(activity.lastFailure(), Failure.parser()));
            }
        });
        return appended ? eventId : Mutation.UNASSIGNED;
    }

    /** The activity is done: the workflow needs a workflow task to see it, unless one is already coming. */
    private void finish(Mutation m, ActivityInfo activity, ActivityState how) {
        clearTimers(m, activity);
        m.state.endActivity(activity.scheduledEventId(), how);
        WorkflowTasks.needed(m);
    }

    private void change(Target target, java.util.function.BiConsumer<Mutation, ActivityInfo> change) {
        String runId = engine.resolveRunId(target.namespaceId(), target.workflowId(), target.runId());
        engine.update(target.namespaceId(), target.workflowId(), runId, m -> {
            change.accept(m, startedActivity(m, target));
            return null;
        });
    }

    /** The started attempt the target names, or NOT_FOUND as Temporal answers for a stale token. */
    private static ActivityInfo startedActivity(Mutation m, Target target) {
        ActivityInfo activity = target.activityId() == null
                ? m.state.activities().get(target.scheduledEventId())
                : m.state.activities().values().stream().filter(a -> a.activityId().equals(target.activityId()))
                .findFirst().orElse(null);
        boolean sameAttempt = activity != null && (target.activityId() != null || activity.attempt() == target.attempt());
        if (!m.state.isRunning() || activity == null || activity.state() != ActivityState.STARTED || !sameAttempt) {
            throw ApiErrors.notFound("Activity task not found.");
        }
        return activity;
    }

    public static ActivityTaskScheduledEventAttributes scheduledAttributes(ActivityInfo activity) {
        return parse(activity.scheduledAttributes(), ActivityTaskScheduledEventAttributes.parser());
    }

    private static <T> T parse(byte[] bytes, com.google.protobuf.Parser<T> parser) {
        try {
            return parser.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("corrupt activity record", e);
        }
    }
}
