package dev.aeon.dataplane.history;

import com.google.protobuf.util.Durations;
import com.google.protobuf.util.Timestamps;
import dev.aeon.dataplane.frontend.ApiErrors;
import dev.aeon.dataplane.history.ExecutionState.WorkflowTaskInfo;
import dev.aeon.dataplane.matching.DispatchTask;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.command.v1.Command;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.common.v1.WorkflowType;
import io.temporal.api.enums.v1.CommandType;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.TaskQueueKind;
import io.temporal.api.enums.v1.TimeoutType;
import io.temporal.api.enums.v1.WorkflowTaskFailedCause;
import io.temporal.api.failure.v1.Failure;
import io.temporal.api.history.v1.History;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.history.v1.WorkflowTaskScheduledEventAttributes;
import io.temporal.api.history.v1.WorkflowTaskStartedEventAttributes;
import io.temporal.api.update.v1.Rejection;
import io.temporal.api.taskqueue.v1.TaskQueue;
import io.temporal.api.workflowservice.v1.PollWorkflowTaskQueueRequest;
import io.temporal.api.workflowservice.v1.PollWorkflowTaskQueueResponse;
import io.temporal.api.workflowservice.v1.RespondWorkflowTaskCompletedRequest;
import io.temporal.api.workflowservice.v1.RespondWorkflowTaskCompletedResponse;
import io.temporal.api.workflowservice.v1.RespondWorkflowTaskFailedRequest;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The workflow task lifecycle: scheduled → started (a worker polled it) → completed with commands, or failed or
 * timed out (and scheduled again). A worker that asks for stickiness gets the run's next tasks on its own queue
 * with only the new events, until it misses one (schedule-to-start timeout) or fails one.
 */
@ApplicationScoped
public class WorkflowTasks {

    /** Commands that close the run: refused while results the worker has not seen are buffered. */
    private static final Set<CommandType> CLOSING = EnumSet.of(
            CommandType.COMMAND_TYPE_COMPLETE_WORKFLOW_EXECUTION,
            CommandType.COMMAND_TYPE_FAIL_WORKFLOW_EXECUTION,
            CommandType.COMMAND_TYPE_CANCEL_WORKFLOW_EXECUTION,
            CommandType.COMMAND_TYPE_CONTINUE_AS_NEW_WORKFLOW_EXECUTION);

    private final HistoryEngine engine;
    private final Commands commands;
    private final Updates updates;
    private final Activities activities;

    public WorkflowTasks(HistoryEngine engine, Commands commands, Updates updates, Activities activities) {
        this.engine = engine;
        this.commands = commands;
        this.updates = updates;
        this.activities = activities;
    }

    /** Schedules the run's next workflow task: on the sticky queue when a worker holds the run in its cache. */
    static void schedule(Mutation m) {
        schedule(m, 1, false);
    }

    /**
     * Schedules a workflow task that only delivers updates. Its events are written only if its completion needs
     * them (an accepted update, a command) or something else happens meanwhile; a task whose worker only rejected
     * updates is discarded as if it never existed, as Temporal does.
     */
    static void scheduleSpeculative(Mutation m) {
        schedule(m, 1, true);
    }

    private static void schedule(Mutation m, int attempt) {
        schedule(m, attempt, false);
    }

    private static void schedule(Mutation m, int attempt, boolean speculative) {
        ExecutionState state = m.state;
        WorkflowTaskInfo task = new WorkflowTaskInfo();
        task.attempt = attempt;
        task.sticky = !state.stickyTaskQueue.isEmpty();
        task.taskQueue = task.sticky ? state.stickyTaskQueue : state.taskQueue;
        task.scheduledTimeMillis = m.now;
        if (speculative) {
            task.speculative = true;
            task.scheduledEventId = state.nextEventId; // reserved: see Mutation.materializeSpeculativeTask
            m.touch();
        } else {
            task.scheduledEventId = m.append(EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED,
                    e -> e.setWorkflowTaskScheduledEventAttributes(scheduledAttributes(state, task))).getEventId();
        }
        state.workflowTask = task;
        m.addTransferTask(DispatchTask.Kind.WORKFLOW, task.taskQueue, task.scheduledEventId,
                id -> task.transferTaskId = id);
        if (task.sticky) {
            task.timer = m.addTimer(TimerTask.Kind.WORKFLOW_TASK_TIMEOUT, task.scheduledEventId, task.attempt,
                    TimeoutType.TIMEOUT_TYPE_SCHEDULE_TO_START_VALUE, null, m.now + state.stickyScheduleToStartMillis)
                    .ref();
        }
    }

    private static WorkflowTaskScheduledEventAttributes scheduledAttributes(ExecutionState state,
                                                                           WorkflowTaskInfo task) {
        TaskQueue queue = task.sticky
                ? TaskQueue.newBuilder().setName(task.taskQueue).setKind(TaskQueueKind.TASK_QUEUE_KIND_STICKY)
                .setNormalName(state.taskQueue).build()
                : TaskQueue.newBuilder().setName(task.taskQueue).setKind(TaskQueueKind.TASK_QUEUE_KIND_NORMAL).build();
        return WorkflowTaskScheduledEventAttributes.newBuilder()
                .setTaskQueue(queue)
                .setStartToCloseTimeout(Durations.fromMillis(state.workflowTaskTimeoutMillis))
                .setAttempt(task.attempt)
                .build();
    }

    /** A speculative task's scheduled event, as the worker sees it and as history gets it if it is kept. */
    static HistoryEvent scheduledEvent(ExecutionState state, WorkflowTaskInfo task) {
        return HistoryEvent.newBuilder()
                .setEventId(task.scheduledEventId)
                .setEventTime(Timestamps.fromMillis(task.scheduledTimeMillis))
                .setEventType(EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED)
                .setWorkflowTaskScheduledEventAttributes(scheduledAttributes(state, task))
                .build();
    }

    /** A speculative task's started event. */
    static HistoryEvent startedEvent(WorkflowTaskInfo task) {
        return HistoryEvent.newBuilder()
                .setEventId(task.startedEventId)
                .setEventTime(Timestamps.fromMillis(task.startedTimeMillis))
                .setEventType(EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED)
                .setWorkflowTaskStartedEventAttributes(WorkflowTaskStartedEventAttributes.newBuilder()
                        .setScheduledEventId(task.scheduledEventId)
                        .setIdentity(task.startedIdentity)
                        .setRequestId(task.requestId))
                .build();
    }

    /** The worker's view of a task as of its start; history and update requests are added after the commit. */
    private record Started(PollWorkflowTaskQueueResponse.Builder response, ExecutionState run, long firstEvent,
                           long startedEventId, List<HistoryEvent> speculativeEvents) {
    }

    /** The outcome of a completion: the response, and the next task when it was started at once for the worker. */
    private record Completion(RespondWorkflowTaskCompletedResponse response, Started next) {
    }

    /**
     * A worker's poll matched this task: record the start and build the worker's view of the run. Empty when the
     * task is stale (the run moved on since it was queued).
     */
    public Optional<PollWorkflowTaskQueueResponse> recordStarted(DispatchTask dispatched,
                                                                 PollWorkflowTaskQueueRequest poll) {
        Started started;
        try {
            started = engine.update(dispatched.namespaceId(), dispatched.workflowId(), dispatched.runId(), m -> {
                WorkflowTaskInfo task = m.state.workflowTask;
                if (!m.state.isRunning() || task == null || task.scheduledEventId != dispatched.scheduledEventId()
                        || task.startedEventId != 0 || task.transferTaskId != dispatched.taskId()) {
                    return null;
                }
                m.completeTransferTask(task.transferTaskId);
                return start(m, task, poll.getIdentity(), false);
            });
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
                engine.deleteOrphanTask(dispatched); // the run is gone (deleted); its task with it
                return Optional.empty();
            }
            throw e;
        }
        return Optional.ofNullable(started).map(this::withHistory);
    }

    /**
     * Records the start of {@code task} by the worker {@code identity}. A worker that holds the run (sticky, or the
     * one whose completion this task follows) gets only the events since its previous task.
     */
    private static Started start(Mutation m, WorkflowTaskInfo task, String identity, boolean workerHoldsRun) {
        ExecutionState state = m.state;
        String requestId = UUID.randomUUID().toString();
        task.startedTimeMillis = m.now;
        task.requestId = requestId;
        task.startedIdentity = identity;
        List<HistoryEvent> speculativeEvents = List.of();
        if (task.speculative) {
            task.startedEventId = task.scheduledEventId + 1;
            speculativeEvents = List.of(scheduledEvent(state, task), startedEvent(task));
        } else {
            long historySize = state.historySizeBytes; // what the worker's SDK shows as the history's size
            task.startedEventId = m.append(EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED,
                    e -> e.getWorkflowTaskStartedEventAttributesBuilder()
                            .setScheduledEventId(task.scheduledEventId)
                            .setIdentity(identity)
                            .setRequestId(requestId)
                            .setHistorySizeBytes(historySize)).getEventId();
        }
        m.completeTimer(task.timer);
        task.timer = m.addTimer(TimerTask.Kind.WORKFLOW_TASK_TIMEOUT, task.scheduledEventId, task.attempt,
                TimeoutType.TIMEOUT_TYPE_START_TO_CLOSE_VALUE, null, m.now + state.workflowTaskTimeoutMillis)
                .ref();
        TaskToken token = new TaskToken(state.namespaceId, state.workflowId, state.runId,
                task.scheduledEventId, task.startedEventId, task.attempt, task.startedTimeMillis);
        PollWorkflowTaskQueueResponse.Builder response = PollWorkflowTaskQueueResponse.newBuilder()
                .setTaskToken(token.encode())
                .setWorkflowExecution(WorkflowExecution.newBuilder().setWorkflowId(state.workflowId)
                        .setRunId(state.runId))
                .setWorkflowType(WorkflowType.newBuilder().setName(state.workflowType))
                .setPreviousStartedEventId(state.lastCompletedWorkflowTaskStartedEventId)
                .setStartedEventId(task.startedEventId)
                .setAttempt(task.attempt)
                .setScheduledTime(Timestamps.fromMillis(task.scheduledTimeMillis))
                .setStartedTime(Timestamps.fromMillis(task.startedTimeMillis))
                .setWorkflowExecutionTaskQueue(TaskQueue.newBuilder().setName(state.taskQueue)
                        .setKind(TaskQueueKind.TASK_QUEUE_KIND_NORMAL));
        long firstEvent = task.sticky || workerHoldsRun ? state.lastCompletedWorkflowTaskStartedEventId + 1 : 1;
        return new Started(response, state, firstEvent, task.startedEventId, speculativeEvents);
    }

    /** Adds the history the worker needs and the updates waiting for it, read after the start committed. */
    private PollWorkflowTaskQueueResponse withHistory(Started started) {
        long storedEnd = started.startedEventId() + 1 - started.speculativeEvents().size();
        return started.response()
                .setHistory(History.newBuilder()
                        .addAllEvents(engine.events(started.run(), started.firstEvent(), storedEnd))
                        .addAllEvents(started.speculativeEvents()))
                .addAllMessages(updates.requestsFor(started.run().runId, started.startedEventId()))
                .build();
    }

    /**
     * A worker completes its task. When it asks for the next task in the answer (return_new_workflow_task, as SDKs
     * do to keep a task alive while local activities run) and the completion made one, that task is started at
     * once and handed back, as Temporal does, rather than queued for a poll.
     */
    public RespondWorkflowTaskCompletedResponse complete(RespondWorkflowTaskCompletedRequest request) {
        TaskToken token = TaskToken.decode(request.getTaskToken());
        Completion completion;
        try {
            completion = engine.update(token.namespaceId(), token.workflowId(), token.runId(), m -> {
                WorkflowTaskInfo task = current(m, token);
                if (task.speculative && discardable(m.state, request)) {
                    return new Completion(discard(m, task, request), null);
                }
                applyCompletion(m, task, request);
                RespondWorkflowTaskCompletedResponse answer = RespondWorkflowTaskCompletedResponse.newBuilder()
                        .addAllActivityTasks(activities.startEager(m, request.getIdentity())).build();
                WorkflowTaskInfo next = m.state.workflowTask;
                if (request.getReturnNewWorkflowTask() && next != null && !next.speculative) {
                    m.withdrawTransferTask(next.transferTaskId);
                    return new Completion(answer, start(m, next, request.getIdentity(), true));
                }
                return new Completion(answer, null);
            });
        } catch (CommandRejected rejected) {
            // Nothing of the completion was kept; record why the task failed instead.
            engine.update(token.namespaceId(), token.workflowId(), token.runId(), m -> {
                fail(m, current(m, token), rejected.cause,
                        Failure.newBuilder().setMessage(rejected.getMessage()).build(), request.getIdentity());
                return null;
            });
            // As Temporal: the worker learns its completion was not taken (the Go SDK then does not count the
            // workflow as completed), in Temporal's words: the cause, then why.
            throw dev.aeon.dataplane.frontend.ApiErrors.invalidArgument(rejected.cause.name() + ": " + rejected.getMessage());
        }
        return completion.next() == null ? completion.response()
                : completion.response().toBuilder().setWorkflowTask(withHistory(completion.next())).build();
    }

    /**
     * A speculative task may vanish only if it changed nothing: no commands, nothing but update rejections, no
     * new task asked for, nothing arrived meanwhile (that would have made it normal already).
     */
    private static boolean discardable(ExecutionState state, RespondWorkflowTaskCompletedRequest request) {
        return request.getCommandsCount() == 0 && !request.getForceCreateNewWorkflowTask()
                && state.bufferedEvents.isEmpty()
                && request.getMessagesList().stream().allMatch(message -> message.getBody().is(Rejection.class));
    }

    /**
     * Drops a speculative task that only rejected updates: history stays as it was, and the worker is told to
     * roll its view back to the last task that was kept ({@code reset_history_event_id}).
     */
    private RespondWorkflowTaskCompletedResponse discard(Mutation m, WorkflowTaskInfo task,
                                                         RespondWorkflowTaskCompletedRequest request) {
        m.completeTimer(task.timer);
        m.state.workflowTask = null;
        rememberSticky(m.state, request);
        java.util.Set<String> answered = new java.util.HashSet<>();
        for (var message : request.getMessagesList()) {
            answered.add(updates.apply(m, message));
        }
        m.touch();
        if (updates.anyWaiting(m.state.runId, answered)) {
            scheduleSpeculative(m);
        }
        return RespondWorkflowTaskCompletedResponse.newBuilder()
                .setResetHistoryEventId(m.state.lastCompletedWorkflowTaskStartedEventId).build();
    }

    private static void rememberSticky(ExecutionState state, RespondWorkflowTaskCompletedRequest request) {
        Validation.maxLength("sticky_attributes.worker_task_queue.name",
                request.getStickyAttributes().getWorkerTaskQueue().getName());
        if (request.hasStickyAttributes() && !request.getStickyAttributes().getWorkerTaskQueue().getName().isEmpty()) {
            state.stickyTaskQueue = request.getStickyAttributes().getWorkerTaskQueue().getName();
            long timeout = Durations.toMillis(request.getStickyAttributes().getScheduleToStartTimeout());
            state.stickyScheduleToStartMillis = timeout > 0 ? timeout : 5000;
        } else {
            state.stickyTaskQueue = "";
        }
    }

    private void applyCompletion(Mutation m, WorkflowTaskInfo task, RespondWorkflowTaskCompletedRequest request) {
        m.materializeSpeculativeTask();
        boolean closes = request.getCommandsList().stream().anyMatch(c -> CLOSING.contains(c.getCommandType()));
        if (closes && !m.state.bufferedEvents.isEmpty()) {
            // The worker decided to close without seeing what arrived meanwhile: make it decide again.
            throw new CommandRejected(WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_UNHANDLED_COMMAND,
                    "UnhandledCommand");
        }
        HistoryEvent completed = m.append(EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED, e -> {
            var attributes = PresentFields.copy(request, e.getWorkflowTaskCompletedEventAttributesBuilder())
                    .setScheduledEventId(task.scheduledEventId)
                    .setStartedEventId(task.startedEventId);
            // Named differently in the event; Temporal writes it present (empty) when the worker sends none.
            attributes.setWorkerVersion(request.hasWorkerVersionStamp() ? request.getWorkerVersionStamp()
                    : io.temporal.api.common.v1.WorkerVersionStamp.getDefaultInstance());
        });
        AutoResetPoints.onCompletion(m.state, request.getBinaryChecksum(), request.getWorkerVersionStamp().getBuildId(),
                completed.getEventId(), m.now);
        m.completeTimer(task.timer);
        m.state.lastCompletedWorkflowTaskStartedEventId = task.startedEventId;
        m.state.workflowTask = null;
        // A first task that came before its backoff ended (an update sent during a start delay) ends the backoff:
        // the run is under way, and what arrives from now on gets a task as for any run (Temporal's
        // HadOrHasWorkflowTask).
        m.completeTimer(m.state.backoffTimer);
        m.state.backoffTimer = null;
        rememberSticky(m.state, request);
        // Protocol messages (updates) are recorded where a PROTOCOL_MESSAGE command places them, the rest after.
        java.util.Map<String, io.temporal.api.protocol.v1.Message> messages = new java.util.LinkedHashMap<>();
        request.getMessagesList().forEach(message -> messages.put(message.getId(), message));
        java.util.Set<String> answered = new java.util.HashSet<>();
        for (Command command : request.getCommandsList()) {
            if (!m.state.isRunning()) {
                throw new CommandRejected(WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_UNHANDLED_COMMAND,
                        "a command follows the command that closed the workflow");
            }
            if (command.getCommandType() == CommandType.COMMAND_TYPE_PROTOCOL_MESSAGE) {
                var message = messages.remove(command.getProtocolMessageCommandAttributes().getMessageId());
                if (message == null) {
                    throw new CommandRejected(WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_BAD_UPDATE_WORKFLOW_EXECUTION_MESSAGE,
                            "no message " + command.getProtocolMessageCommandAttributes().getMessageId() + " in the task");
                }
                answered.add(updates.apply(m, message));
            } else {
                commands.apply(m, command, completed.getEventId());
            }
        }
        for (var message : messages.values()) {
            answered.add(updates.apply(m, message));
        }
        int arrivedMeanwhile = m.flushBuffered();
        if (m.state.isRunning() && (arrivedMeanwhile > 0 || m.newWorkflowTaskNeeded
                || request.getForceCreateNewWorkflowTask() || updates.anyWaiting(m.state.runId, answered))) {
            schedule(m);
        }
    }

    public void fail(RespondWorkflowTaskFailedRequest request) {
        TaskToken token = TaskToken.decode(request.getTaskToken());
        engine.update(token.namespaceId(), token.workflowId(), token.runId(), m -> {
            fail(m, current(m, token), request.getCause(),
                    PresentFields.orNull(request.hasFailure(), request.getFailure()), request.getIdentity());
            return null;
        });
    }

    /** Forgets the worker's sticky queue: the next task goes to the normal queue with full history. */
    public void resetSticky(String namespaceId, String workflowId, String runId) {
        engine.update(namespaceId, workflowId, runId, m -> {
            if (!m.state.stickyTaskQueue.isEmpty()) {
                m.state.stickyTaskQueue = "";
                m.touch();
            }
            return null;
        });
    }

    /** A workflow task's timer fired: schedule-to-start on a sticky queue, or start-to-close. */
    void onTimer(Mutation m, TimerTask timer) {
        WorkflowTaskInfo task = m.state.workflowTask;
        if (!m.state.isRunning() || task == null || task.scheduledEventId != timer.subjectId()
                || task.attempt != timer.attempt() || !timer.ref().equals(task.timer)) {
            return;
        }
        TimeoutType type = TimeoutType.forNumber(timer.timeoutType());
        task.timer = null;
        if (type == TimeoutType.TIMEOUT_TYPE_SCHEDULE_TO_START) {
            if (task.startedEventId != 0) {
                return;
            }
            // The sticky worker is gone: hand the task to any worker of the normal queue.
            m.completeTransferTask(task.transferTaskId);
            m.append(EventType.EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT, e -> e.getWorkflowTaskTimedOutEventAttributesBuilder()
                    .setScheduledEventId(task.scheduledEventId)
                    .setTimeoutType(type));
            m.state.workflowTask = null;
            m.state.stickyTaskQueue = "";
            schedule(m, task.attempt);
            return;
        }
        m.append(EventType.EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT, e -> e.getWorkflowTaskTimedOutEventAttributesBuilder()
                .setScheduledEventId(task.scheduledEventId)
                .setStartedEventId(task.startedEventId)
                .setTimeoutType(type));
        m.state.workflowTask = null;
        m.state.stickyTaskQueue = "";
        m.flushBuffered();
        schedule(m, task.attempt + 1);
    }

    /** Records the failure, writes what was buffered, and schedules the task again for a fresh try. */
    private void fail(Mutation m, WorkflowTaskInfo task, WorkflowTaskFailedCause cause, Failure failure,
                      String identity) {
        m.append(EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED, e -> {
            var failed = e.getWorkflowTaskFailedEventAttributesBuilder()
                    .setScheduledEventId(task.scheduledEventId)
                    .setStartedEventId(task.startedEventId)
                    .setCause(cause)
                    .setIdentity(identity);
            if (failure != null) {
                failed.setFailure(failure);
            }
        });
        m.completeTimer(task.timer);
        m.state.workflowTask = null;
        m.state.stickyTaskQueue = "";
        m.flushBuffered();
        schedule(m, task.attempt + 1);
    }

    /** The started workflow task the token names, or NOT_FOUND as Temporal answers for a stale token. */
    private static WorkflowTaskInfo current(Mutation m, TaskToken token) {
        WorkflowTaskInfo task = m.state.workflowTask;
        if (!m.state.isRunning() || task == null || task.scheduledEventId != token.scheduledEventId()
                || task.startedEventId != token.startedEventId()
                || (token.startedTimeMillis() != 0 && token.startedTimeMillis() != task.startedTimeMillis)) {
            throw ApiErrors.notFound("Workflow task not found.");
        }
        return task;
    }
}
