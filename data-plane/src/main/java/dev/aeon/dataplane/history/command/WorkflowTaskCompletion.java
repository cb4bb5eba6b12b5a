package dev.aeon.dataplane.history.command;

import dev.aeon.dataplane.history.activity.Activities;
import dev.aeon.dataplane.errors.ApiErrors;
import dev.aeon.dataplane.history.state.WorkflowTaskState;
import com.google.protobuf.util.Durations;
import dev.aeon.dataplane.history.command.Commands;
import dev.aeon.dataplane.history.engine.HistoryEngine;
import dev.aeon.dataplane.history.engine.Mutation;
import dev.aeon.dataplane.history.engine.TaskToken;
import dev.aeon.dataplane.history.rules.CommandRejected;
import dev.aeon.dataplane.history.rules.PresentFields;
import dev.aeon.dataplane.history.rules.Validation;
import dev.aeon.dataplane.history.state.AutoResetPoints;
import dev.aeon.dataplane.history.state.WorkflowTaskInfo;
import dev.aeon.dataplane.history.state.ExecutionState;
import dev.aeon.dataplane.history.run.WorkflowLifecycle;
import dev.aeon.dataplane.history.update.Updates;
import dev.aeon.dataplane.history.workflowtask.WorkflowTasks;
import io.temporal.api.command.v1.Command;
import io.temporal.api.enums.v1.CommandType;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.WorkflowTaskFailedCause;
import io.temporal.api.failure.v1.Failure;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.update.v1.Rejection;
import io.temporal.api.workflowservice.v1.RespondWorkflowTaskCompletedRequest;
import io.temporal.api.workflowservice.v1.RespondWorkflowTaskCompletedResponse;
import io.temporal.api.workflowservice.v1.RespondWorkflowTaskFailedRequest;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.EnumSet;
import java.util.Set;

/**
 * A worker completes or fails its workflow task. A completion records the completed event, applies the task's
 * commands and update messages in the order the worker gave them, writes what arrived meanwhile, and schedules
 * the next task if the workflow has something new to see; a speculative task that only rejected updates leaves
 * no trace. A rejected command fails the task instead, and nothing of the completion is kept.
 */
@ApplicationScoped
public class WorkflowTaskCompletion {

    /** Commands that close the run: refused while results the worker has not seen are buffered. */
    private static final Set<CommandType> CLOSING = EnumSet.of(
            CommandType.COMMAND_TYPE_COMPLETE_WORKFLOW_EXECUTION,
            CommandType.COMMAND_TYPE_FAIL_WORKFLOW_EXECUTION,
            CommandType.COMMAND_TYPE_CANCEL_WORKFLOW_EXECUTION,
            CommandType.COMMAND_TYPE_CONTINUE_AS_NEW_WORKFLOW_EXECUTION);

    /** Who Temporal names as the terminator of a run its history service ends. */
    private static final String HISTORY_SERVICE = "history-service";

    private final HistoryEngine engine;
    private final WorkflowTasks workflowTasks;
    private final Commands commands;
    private final Updates updates;
    private final Activities activities;

    public WorkflowTaskCompletion(HistoryEngine engine, WorkflowTasks workflowTasks, Commands commands, Updates updates,
                                  Activities activities) {
        this.engine = engine;
        this.workflowTasks = workflowTasks;
        this.commands = commands;
        this.updates = updates;
        this.activities = activities;
    }

    /** The outcome of a completion: the response, and the next task when it was started at once for the worker. */
    private record Completion(RespondWorkflowTaskCompletedResponse response, WorkflowTasks.Started next) {
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
                WorkflowTaskInfo task = WorkflowTasks.current(m, token);
                if (task.speculative() && discardable(m.state, request)) {
                    return new Completion(discard(m, task, request), null);
                }
                applyCompletion(m, task, request);
                RespondWorkflowTaskCompletedResponse answer = RespondWorkflowTaskCompletedResponse.newBuilder()
                        .addAllActivityTasks(activities.startEager(m, request.getIdentity())).build();
                WorkflowTaskInfo next = m.state.workflowTask();
                if (request.getReturnNewWorkflowTask() && next != null && !next.speculative()) {
                    m.withdrawTransferTask(next.transferTaskId());
                    return new Completion(answer, WorkflowTasks.start(m, next, request.getIdentity(), true));
                }
                return new Completion(answer, null);
            });
        } catch (CommandRejected rejected) {
            // Nothing of the completion was kept; record why the task failed instead.
            engine.update(token.namespaceId(), token.workflowId(), token.runId(), m -> {
                WorkflowTasks.fail(m, WorkflowTasks.current(m, token), rejected.cause,
                        Failure.newBuilder().setMessage(rejected.getMessage()).build(), request.getIdentity());
                if (rejected.terminatesRun) {
                    WorkflowLifecycle.terminateRun(m, rejected.causeName() + ": " + rejected.getMessage(), null,
                            HISTORY_SERVICE);
                }
                return null;
            });
            // As Temporal: the worker learns its completion was not taken (the Go SDK then does not count the
            // workflow as completed), in Temporal's words: the cause, then why.
            throw ApiErrors.invalidArgument(rejected.cause.name() + ": " + rejected.getMessage());
        }
        return completion.next() == null ? completion.response()
                : completion.response().toBuilder().setWorkflowTask(workflowTasks.withHistory(completion.next())).build();
    }

    /**
     * A speculative task may vanish only if it changed nothing: no commands, nothing but update rejections, no
     * new task asked for, nothing arrived meanwhile (that would have made it normal already).
     */
    private static boolean discardable(ExecutionState state, RespondWorkflowTaskCompletedRequest request) {
        return request.getCommandsCount() == 0 && !request.getForceCreateNewWorkflowTask()
                && state.bufferedEvents().isEmpty()
                && request.getMessagesList().stream().allMatch(message -> message.getBody().is(Rejection.class));
    }

    /**
     * Drops a speculative task that only rejected updates: history stays as it was, and the worker is told to
     * roll its view back to the last task that was kept ({@code reset_history_event_id}).
     */
    private RespondWorkflowTaskCompletedResponse discard(Mutation m, WorkflowTaskInfo task,
                                                         RespondWorkflowTaskCompletedRequest request) {
        m.completeTimer(task.timer());
        m.state.endWorkflowTask(WorkflowTaskState.DISCARDED);
        rememberSticky(m.state, request);
        java.util.Set<String> answered = new java.util.HashSet<>();
        for (var message : request.getMessagesList()) {
            answered.add(updates.apply(m, message));
        }
        m.touch();
        if (updates.anyWaiting(m.state.runId(), answered)) {
            WorkflowTasks.scheduleSpeculative(m);
        }
        return RespondWorkflowTaskCompletedResponse.newBuilder()
                .setResetHistoryEventId(m.state.lastCompletedWorkflowTaskStartedEventId()).build();
    }

    private static void rememberSticky(ExecutionState state, RespondWorkflowTaskCompletedRequest request) {
        Validation.maxLength("sticky_attributes.worker_task_queue.name",
                request.getStickyAttributes().getWorkerTaskQueue().getName());
        if (request.hasStickyAttributes() && !request.getStickyAttributes().getWorkerTaskQueue().getName().isEmpty()) {
            long timeout = Durations.toMillis(request.getStickyAttributes().getScheduleToStartTimeout());
            state.stickTo(request.getStickyAttributes().getWorkerTaskQueue().getName(), timeout > 0 ? timeout : 5000);
        } else {
            state.unstick();
        }
    }

    private void applyCompletion(Mutation m, WorkflowTaskInfo task, RespondWorkflowTaskCompletedRequest request) {
        m.materializeSpeculativeTask();
        boolean closes = request.getCommandsList().stream().anyMatch(c -> CLOSING.contains(c.getCommandType()));
        if (closes && !m.state.bufferedEvents().isEmpty()) {
            // The worker decided to close without seeing what arrived meanwhile: make it decide again.
            throw new CommandRejected(WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_UNHANDLED_COMMAND,
                    "UnhandledCommand");
        }
        HistoryEvent completed = m.append(EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED, e -> {
            var attributes = PresentFields.copy(request, e.getWorkflowTaskCompletedEventAttributesBuilder())
                    .setScheduledEventId(task.scheduledEventId())
                    .setStartedEventId(task.startedEventId());
            // Named differently in the event; Temporal writes it present (empty) when the worker sends none.
            attributes.setWorkerVersion(request.hasWorkerVersionStamp() ? request.getWorkerVersionStamp()
                    : io.temporal.api.common.v1.WorkerVersionStamp.getDefaultInstance());
        });
        AutoResetPoints.onCompletion(m.state, request.getBinaryChecksum(), request.getWorkerVersionStamp().getBuildId(),
                completed.getEventId(), m.now);
        m.completeTimer(task.timer());
        m.state.completeWorkflowTask();
        // A first task that came before its backoff ended (an update sent during a start delay) ends the backoff:
        // the run is under way, and what arrives from now on gets a task as for any run (Temporal's
        // HadOrHasWorkflowTask).
        m.completeTimer(m.state.backoffTimer());
        m.state.setBackoffTimer(null);
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
                || request.getForceCreateNewWorkflowTask() || updates.anyWaiting(m.state.runId(), answered))) {
            WorkflowTasks.schedule(m);
        }
    }

    public void fail(RespondWorkflowTaskFailedRequest request) {
        TaskToken token = TaskToken.decode(request.getTaskToken());
        engine.update(token.namespaceId(), token.workflowId(), token.runId(), m -> {
            WorkflowTasks.fail(m, WorkflowTasks.current(m, token), request.getCause(),
                    PresentFields.orNull(request.hasFailure(), request.getFailure()), request.getIdentity());
            return null;
        });
    }
}
