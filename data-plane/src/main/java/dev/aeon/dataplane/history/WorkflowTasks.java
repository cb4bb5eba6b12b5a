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
import io.temporal.api.taskqueue.v1.TaskQueue;
import io.temporal.api.workflowservice.v1.PollWorkflowTaskQueueRequest;
import io.temporal.api.workflowservice.v1.PollWorkflowTaskQueueResponse;
import io.temporal.api.workflowservice.v1.RespondWorkflowTaskCompletedRequest;
import io.temporal.api.workflowservice.v1.RespondWorkflowTaskCompletedResponse;
import io.temporal.api.workflowservice.v1.RespondWorkflowTaskFailedRequest;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.EnumSet;
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

    public WorkflowTasks(HistoryEngine engine, Commands commands, Updates updates) {
        this.engine = engine;
        this.commands = commands;
        this.updates = updates;
    }

    /** Schedules the run's next workflow task: on the sticky queue when a worker holds the run in its cache. */
    static void schedule(Mutation m) {
        schedule(m, 1);
    }

    private static void schedule(Mutation m, int attempt) {
        ExecutionState state = m.state;
        WorkflowTaskInfo task = new WorkflowTaskInfo();
        task.attempt = attempt;
        task.sticky = !state.stickyTaskQueue.isEmpty();
        task.taskQueue = task.sticky ? state.stickyTaskQueue : state.taskQueue;
        task.scheduledTimeMillis = m.now;
        TaskQueue queue = task.sticky
                ? TaskQueue.newBuilder().setName(task.taskQueue).setKind(TaskQueueKind.TASK_QUEUE_KIND_STICKY)
                .setNormalName(state.taskQueue).build()
                : TaskQueue.newBuilder().setName(task.taskQueue).setKind(TaskQueueKind.TASK_QUEUE_KIND_NORMAL).build();
        HistoryEvent scheduled = m.append(EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED,
                e -> e.getWorkflowTaskScheduledEventAttributesBuilder()
                        .setTaskQueue(queue)
                        .setStartToCloseTimeout(Durations.fromMillis(state.workflowTaskTimeoutMillis))
                        .setAttempt(task.attempt));
        task.scheduledEventId = scheduled.getEventId();
        state.workflowTask = task;
        m.addTransferTask(DispatchTask.Kind.WORKFLOW, task.taskQueue, task.scheduledEventId,
                id -> task.transferTaskId = id);
        if (task.sticky) {
            task.timer = m.addTimer(TimerTask.Kind.WORKFLOW_TASK_TIMEOUT, task.scheduledEventId, task.attempt,
                    TimeoutType.TIMEOUT_TYPE_SCHEDULE_TO_START_VALUE, null, m.now + state.stickyScheduleToStartMillis)
                    .ref();
        }
    }

    /**
     * A worker's poll matched this task: record the start and build the worker's view of the run. Empty when the
     * task is stale (the run moved on since it was queued).
     */
    public Optional<PollWorkflowTaskQueueResponse> recordStarted(DispatchTask dispatched,
                                                                 PollWorkflowTaskQueueRequest poll) {
        /** The worker's view as of the start transition; history and update requests are added after it commits. */
        record Started(PollWorkflowTaskQueueResponse.Builder response, String runId, long firstEvent,
                       long startedEventId) {
        }
        Started started;
        try {
            started = engine.update(dispatched.namespaceId(), dispatched.workflowId(), dispatched.runId(), m -> {
                ExecutionState state = m.state;
                WorkflowTaskInfo task = state.workflowTask;
                if (!state.isRunning() || task == null || task.scheduledEventId != dispatched.scheduledEventId()
                        || task.startedEventId != 0 || task.transferTaskId != dispatched.taskId()) {
                    return null;
                }
                String requestId = UUID.randomUUID().toString();
                HistoryEvent event = m.append(EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED,
                        e -> e.getWorkflowTaskStartedEventAttributesBuilder()
                                .setScheduledEventId(task.scheduledEventId)
                                .setIdentity(poll.getIdentity())
                                .setRequestId(requestId));
                task.startedEventId = event.getEventId();
                task.startedTimeMillis = m.now;
                task.requestId = requestId;
                m.completeTransferTask(task.transferTaskId);
                m.completeTimer(task.timer);
                task.timer = m.addTimer(TimerTask.Kind.WORKFLOW_TASK_TIMEOUT, task.scheduledEventId, task.attempt,
                        TimeoutType.TIMEOUT_TYPE_START_TO_CLOSE_VALUE, null, m.now + state.workflowTaskTimeoutMillis)
                        .ref();
                TaskToken token = new TaskToken(state.namespaceId, state.workflowId, state.runId,
                        task.scheduledEventId, task.startedEventId, task.attempt);
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
                // A sticky worker has the run cached up to its previous task: it gets only what happened since.
                long firstEvent = task.sticky ? state.lastCompletedWorkflowTaskStartedEventId + 1 : 1;
                return new Started(response, state.runId, firstEvent, task.startedEventId);
            });
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
                return Optional.empty(); // the run is gone (deleted); its task with it
            }
            throw e;
        }
        if (started == null) {
            return Optional.empty();
        }
        return Optional.of(started.response()
                .setHistory(History.newBuilder()
                        .addAllEvents(engine.events(started.runId(), started.firstEvent(), started.startedEventId() + 1)))
                .addAllMessages(updates.requestsFor(started.runId(), started.startedEventId()))
                .build());
    }

    public RespondWorkflowTaskCompletedResponse complete(RespondWorkflowTaskCompletedRequest request) {
        TaskToken token = TaskToken.decode(request.getTaskToken());
        try {
            engine.update(token.namespaceId(), token.workflowId(), token.runId(), m -> {
                applyCompletion(m, current(m, token), request);
                return null;
            });
        } catch (CommandRejected rejected) {
            // Nothing of the completion was kept; record why the task failed instead.
            engine.update(token.namespaceId(), token.workflowId(), token.runId(), m -> {
                fail(m, current(m, token), rejected.cause,
                        Failure.newBuilder().setMessage(rejected.getMessage()).build(), request.getIdentity());
                return null;
            });
        }
        return RespondWorkflowTaskCompletedResponse.getDefaultInstance();
    }

    private void applyCompletion(Mutation m, WorkflowTaskInfo task, RespondWorkflowTaskCompletedRequest request) {
        boolean closes = request.getCommandsList().stream().anyMatch(c -> CLOSING.contains(c.getCommandType()));
        if (closes && !m.state.bufferedEvents.isEmpty()) {
            // The worker decided to close without seeing what arrived meanwhile: make it decide again.
            throw new CommandRejected(WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_UNHANDLED_COMMAND,
                    "UnhandledCommand");
        }
        HistoryEvent completed = m.append(EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED,
                e -> e.getWorkflowTaskCompletedEventAttributesBuilder()
                        .setScheduledEventId(task.scheduledEventId)
                        .setStartedEventId(task.startedEventId)
                        .setIdentity(request.getIdentity())
                        .setBinaryChecksum(request.getBinaryChecksum())
                        .setSdkMetadata(request.getSdkMetadata())
                        .setMeteringMetadata(request.getMeteringMetadata()));
        m.completeTimer(task.timer);
        m.state.lastCompletedWorkflowTaskStartedEventId = task.startedEventId;
        m.state.workflowTask = null;
        if (request.hasStickyAttributes() && !request.getStickyAttributes().getWorkerTaskQueue().getName().isEmpty()) {
            m.state.stickyTaskQueue = request.getStickyAttributes().getWorkerTaskQueue().getName();
            long timeout = Durations.toMillis(request.getStickyAttributes().getScheduleToStartTimeout());
            m.state.stickyScheduleToStartMillis = timeout > 0 ? timeout : 5000;
        } else {
            m.state.stickyTaskQueue = "";
        }
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
            fail(m, current(m, token), request.getCause(), request.getFailure(), request.getIdentity());
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
        m.append(EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED, e -> e.getWorkflowTaskFailedEventAttributesBuilder()
                .setScheduledEventId(task.scheduledEventId)
                .setStartedEventId(task.startedEventId)
                .setCause(cause)
                .setFailure(failure)
                .setIdentity(identity));
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
                || task.startedEventId != token.startedEventId()) {
            throw ApiErrors.notFound("Workflow task not found.");
        }
        return task;
    }
}
