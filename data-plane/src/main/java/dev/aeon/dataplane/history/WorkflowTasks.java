package dev.aeon.dataplane.history;

import com.google.protobuf.util.Durations;
import com.google.protobuf.util.Timestamps;
import dev.aeon.dataplane.frontend.ApiErrors;
import dev.aeon.dataplane.history.ExecutionState.WorkflowTaskInfo;
import dev.aeon.dataplane.matching.DispatchTask;
import io.temporal.api.command.v1.Command;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.common.v1.WorkflowType;
import io.temporal.api.enums.v1.CommandType;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.TaskQueueKind;
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
 * The workflow task lifecycle: scheduled → started (a worker polled it) → completed with commands, or failed
 * (and scheduled again). Commands are applied in order by {@link Commands}.
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

    public WorkflowTasks(HistoryEngine engine, Commands commands) {
        this.engine = engine;
        this.commands = commands;
    }

    /** Schedules the run's next workflow task on its task queue. */
    void schedule(Mutation m) {
        schedule(m, 1);
    }

    private void schedule(Mutation m, int attempt) {
        ExecutionState state = m.state;
        WorkflowTaskInfo task = new WorkflowTaskInfo();
        task.attempt = attempt;
        task.taskQueue = state.taskQueue;
        task.scheduledTimeMillis = m.now;
        HistoryEvent scheduled = m.append(EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED,
                e -> e.getWorkflowTaskScheduledEventAttributesBuilder()
                        .setTaskQueue(TaskQueue.newBuilder().setName(task.taskQueue)
                                .setKind(TaskQueueKind.TASK_QUEUE_KIND_NORMAL))
                        .setStartToCloseTimeout(Durations.fromMillis(state.workflowTaskTimeoutMillis))
                        .setAttempt(task.attempt));
        task.scheduledEventId = scheduled.getEventId();
        state.workflowTask = task;
        m.addTransferTask(DispatchTask.Kind.WORKFLOW, task.taskQueue, task.scheduledEventId,
                id -> task.transferTaskId = id);
    }

    /**
     * A worker's poll matched this task: record the start and build the worker's view of the run. Empty when the
     * task is stale (the run moved on since it was queued).
     */
    public Optional<PollWorkflowTaskQueueResponse> recordStarted(DispatchTask dispatched,
                                                                 PollWorkflowTaskQueueRequest poll) {
        HistoryEvent started;
        try {
            started = engine.update(dispatched.namespaceId(), dispatched.workflowId(), dispatched.runId(), m -> {
                WorkflowTaskInfo task = m.state.workflowTask;
                if (!m.state.isRunning() || task == null || task.scheduledEventId != dispatched.scheduledEventId()
                        || task.startedEventId != 0) {
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
                return event;
            });
        } catch (io.grpc.StatusRuntimeException e) {
            if (e.getStatus().getCode() == io.grpc.Status.Code.NOT_FOUND) {
                return Optional.empty(); // the run is gone (deleted); its task with it
            }
            throw e;
        }
        if (started == null) {
            return Optional.empty();
        }
        HistoryEngine.Snapshot run = engine.read(dispatched.namespaceId(), dispatched.workflowId(), dispatched.runId());
        ExecutionState state = run.state();
        WorkflowTaskInfo task = state.workflowTask;
        TaskToken token = new TaskToken(state.namespaceId, state.workflowId, state.runId, task.scheduledEventId,
                task.startedEventId, task.attempt);
        return Optional.of(PollWorkflowTaskQueueResponse.newBuilder()
                .setTaskToken(token.encode())
                .setWorkflowExecution(WorkflowExecution.newBuilder().setWorkflowId(state.workflowId)
                        .setRunId(state.runId))
                .setWorkflowType(WorkflowType.newBuilder().setName(state.workflowType))
                .setPreviousStartedEventId(state.lastCompletedWorkflowTaskStartedEventId)
                .setStartedEventId(task.startedEventId)
                .setAttempt(task.attempt)
                .setHistory(History.newBuilder()
                        .addAllEvents(engine.events(state.runId, 1, task.startedEventId + 1)))
                .setScheduledTime(Timestamps.fromMillis(task.scheduledTimeMillis))
                .setStartedTime(Timestamps.fromMillis(task.startedTimeMillis))
                .setWorkflowExecutionTaskQueue(TaskQueue.newBuilder().setName(task.taskQueue)
                        .setKind(TaskQueueKind.TASK_QUEUE_KIND_NORMAL))
                .build());
    }

    public RespondWorkflowTaskCompletedResponse complete(RespondWorkflowTaskCompletedRequest request) {
        TaskToken token = TaskToken.decode(request.getTaskToken());
        engine.update(token.namespaceId(), token.workflowId(), token.runId(), m -> {
            WorkflowTaskInfo task = current(m, token);
            boolean closes = request.getCommandsList().stream().anyMatch(c -> CLOSING.contains(c.getCommandType()));
            if (closes && !m.state.bufferedEvents.isEmpty()) {
                // The worker decided to close without seeing what arrived meanwhile: make it decide again.
                fail(m, task, WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_UNHANDLED_COMMAND,
                        Failure.newBuilder().setMessage("UnhandledCommand").build(), request.getIdentity());
                return null;
            }
            HistoryEvent completed = m.append(EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED,
                    e -> e.getWorkflowTaskCompletedEventAttributesBuilder()
                            .setScheduledEventId(task.scheduledEventId)
                            .setStartedEventId(task.startedEventId)
                            .setIdentity(request.getIdentity())
                            .setBinaryChecksum(request.getBinaryChecksum())
                            .setSdkMetadata(request.getSdkMetadata())
                            .setMeteringMetadata(request.getMeteringMetadata()));
            m.state.lastCompletedWorkflowTaskStartedEventId = task.startedEventId;
            m.state.workflowTask = null;
            if (request.hasStickyAttributes()) {
                m.state.stickyTaskQueue = request.getStickyAttributes().getWorkerTaskQueue().getName();
            }
            for (Command command : request.getCommandsList()) {
                if (!m.state.isRunning()) {
                    break;
                }
                commands.apply(m, command, completed.getEventId());
            }
            int arrivedMeanwhile = m.flushBuffered();
            if (m.state.isRunning() && (arrivedMeanwhile > 0 || request.getForceCreateNewWorkflowTask())) {
                schedule(m);
            }
            return null;
        });
        return RespondWorkflowTaskCompletedResponse.getDefaultInstance();
    }

    public void fail(RespondWorkflowTaskFailedRequest request) {
        TaskToken token = TaskToken.decode(request.getTaskToken());
        engine.update(token.namespaceId(), token.workflowId(), token.runId(), m -> {
            fail(m, current(m, token), request.getCause(), request.getFailure(), request.getIdentity());
            return null;
        });
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
        m.state.workflowTask = null;
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
