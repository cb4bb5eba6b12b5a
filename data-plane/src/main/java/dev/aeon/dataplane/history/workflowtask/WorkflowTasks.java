package dev.aeon.dataplane.history.workflowtask;

import dev.aeon.dataplane.history.state.WorkflowTaskState;
import jakarta.enterprise.event.Observes;
import jakarta.annotation.Priority;
import io.quarkus.runtime.StartupEvent;
import dev.aeon.dataplane.history.engine.WorkflowTaskEvents;
import dev.aeon.dataplane.history.engine.TimerDispatcher;
import dev.aeon.dataplane.history.engine.HistoryEngine;
import dev.aeon.dataplane.history.engine.Mutation;
import dev.aeon.dataplane.history.engine.TaskToken;
import dev.aeon.dataplane.history.state.ExecutionState;
import dev.aeon.dataplane.history.state.TimerTask;
import com.google.protobuf.util.Timestamps;
import dev.aeon.dataplane.errors.ApiErrors;
import dev.aeon.dataplane.history.state.WorkflowTaskInfo;
import dev.aeon.dataplane.matching.DispatchTask;
import dev.aeon.dataplane.matching.TaskQueues;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.common.v1.WorkflowType;
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
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The workflow task lifecycle: scheduled → started (a worker polled it) → completed with commands, or failed or
 * timed out (and scheduled again). A worker that asks for stickiness gets the run's next tasks on its own queue
 * with only the new events, until it misses one (schedule-to-start timeout) or fails one.
 */
@ApplicationScoped
public class WorkflowTasks {

    /** A poll handed a task started for it must have this much of its long poll left. */
    private static final java.time.Duration MIN_POLL_LEFT = java.time.Duration.ofSeconds(5);

    private final HistoryEngine engine;
    private final TaskMessages messages;
    private final TaskQueues matching;
    /** Responses of tasks started for a waiting poll, until that poll's thread takes them (a moment later). */
    private final java.util.Map<String, Started> prestarted = new java.util.concurrent.ConcurrentHashMap<>();

    public WorkflowTasks(HistoryEngine engine, TaskMessages messages, TimerDispatcher timers, TaskQueues matching,
                         @org.eclipse.microprofile.config.inject.ConfigProperty(
                                 name = "aeon.data-plane.history.start-for-waiting-poll", defaultValue = "true")
                         boolean startForWaitingPoll) {
        this.engine = engine;
        this.messages = messages;
        this.matching = matching;
        this.startForWaitingPoll = startForWaitingPoll;
        timers.handle(TimerTask.Kind.WORKFLOW_TASK_TIMEOUT, this::onTimer);
        engine.beforeCommit(this::startForWaitingPoll);
    }

    private volatile boolean startForWaitingPoll;

    /**
     * Switches {@link #startForWaitingPoll} on or off from now on ({@code aeon.data-plane.history.start-for-waiting-poll}
     * sets it at start): off, every start goes through a poll's own transition, as tests of that path need.
     */
    public void startForWaitingPolls(boolean on) {
        this.startForWaitingPoll = on;
    }

    /**
     * A transition that schedules a workflow task while a worker's poll waits on its queue records the task's
     * start for that poll too, and hands it over after the commit: one commit (one Paxos round) instead of two,
     * the start a poll would have recorded right after. What the worker sees is the same. Should the poll be gone
     * by then, the task's start-to-close timeout hands it out again, as when a poll response is lost on Temporal.
     */
    private void startForWaitingPoll(Mutation m) {
        WorkflowTaskInfo task = m.state.workflowTask();
        if (!startForWaitingPoll || !m.state.isRunning() || task == null || task.state() != WorkflowTaskState.SCHEDULED || task.speculative()
                || !m.queuesForWorker(task.transferTaskId())) {
            return;
        }
        Optional<TaskQueues.Reservation> reserved = matching.reserve(m.state.namespaceId(), task.taskQueue(),
                DispatchTask.Kind.WORKFLOW, MIN_POLL_LEFT);
        if (reserved.isEmpty()) {
            return;
        }
        TaskQueues.Reservation poll = reserved.get();
        m.withdrawTransferTask(task.transferTaskId());
        Started started = start(m, task, poll.poller().info().getIdentity(), false);
        String key = UUID.randomUUID().toString();
        DispatchTask handed = DispatchTask.prestarted(m.state.namespaceId(), task.taskQueue(), m.state.workflowId(),
                m.state.runId(), task.scheduledEventId(), key);
        m.afterCommit(() -> {
            prestarted.put(key, started);
            if (!poll.hand(handed)) {
                prestarted.remove(key);
            }
        });
        m.onAbort(poll::giveBack);
    }

    /** Created before the engine reloads timers, so none fires without its handler. */
    void init(@Observes @Priority(1) StartupEvent event) {
    }

    /** Something the workflow must see arrived: give it a workflow task unless one is coming (or backing off). */
    public static void needed(Mutation m) {
        if (m.state.workflowTask() == null && m.state.backoffTimer() == null) {
            schedule(m);
        }
    }

    /** Schedules the run's next workflow task: on the sticky queue when a worker holds the run in its cache. */
    public static void schedule(Mutation m) {
        schedule(m, 1, false);
    }

    /**
     * Schedules a workflow task that only delivers updates. Its events are written only if its completion needs
     * them (an accepted update, a command) or something else happens meanwhile; a task whose worker only rejected
     * updates is discarded as if it never existed, as Temporal does.
     */
    public static void scheduleSpeculative(Mutation m) {
        schedule(m, 1, true);
    }

    public static void schedule(Mutation m, int attempt) {
        schedule(m, attempt, false);
    }

    private static void schedule(Mutation m, int attempt, boolean speculative) {
        ExecutionState state = m.state;
        boolean sticky = !state.stickyTaskQueue().isEmpty();
        WorkflowTaskInfo task = WorkflowTaskInfo.toSchedule(attempt,
                sticky ? state.stickyTaskQueue() : state.taskQueue(), sticky, speculative, m.now);
        if (speculative) {
            task.scheduledAs(state.nextEventId()); // reserved: see Mutation.materializeSpeculativeTask
            m.touch();
        } else {
            task.scheduledAs(m.append(EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED,
                    e -> e.setWorkflowTaskScheduledEventAttributes(WorkflowTaskEvents.scheduledAttributes(state, task)))
                    .getEventId());
        }
        state.scheduleWorkflowTask(task);
        m.addTransferTask(DispatchTask.Kind.WORKFLOW, task.taskQueue(), task.scheduledEventId(),
                task::queuedAs);
        if (task.sticky()) {
            task.armTimer(m.armTimeout(TimerTask.Kind.WORKFLOW_TASK_TIMEOUT, task.scheduledEventId(), task.attempt(),
                TimeoutType.TIMEOUT_TYPE_SCHEDULE_TO_START, m.now + state.stickyScheduleToStartMillis()));
        }
    }

    /** The worker's view of a task as of its start; history and update requests are added after the commit. */
    public record Started(PollWorkflowTaskQueueResponse.Builder response, ExecutionState run, long firstEvent,
                           long startedEventId, List<HistoryEvent> speculativeEvents) {
    }

    /**
     * A worker's poll matched this task: record the start and build the worker's view of the run. Empty when the
     * task is stale (the run moved on since it was queued).
     */
    public Optional<PollWorkflowTaskQueueResponse> recordStarted(DispatchTask dispatched,
                                                                 PollWorkflowTaskQueueRequest poll) {
        if (dispatched.isPrestarted()) {
            return Optional.ofNullable(prestarted.remove(dispatched.prestartedKey())).map(this::withHistory);
        }
        Started started;
        try {
            started = engine.update(dispatched.namespaceId(), dispatched.workflowId(), dispatched.runId(), m -> {
                WorkflowTaskInfo task = m.state.workflowTask();
                if (!m.state.isRunning() || task == null || task.scheduledEventId() != dispatched.scheduledEventId()
                        || task.state() != WorkflowTaskState.SCHEDULED || task.transferTaskId() != dispatched.taskId()) {
                    return null;
                }
                m.completeTransferTask(task.transferTaskId());
                return start(m, task, poll.getIdentity(), false);
            });
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
                engine.deleteTask(dispatched); // the run is gone (deleted); its task with it
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
    public static Started start(Mutation m, WorkflowTaskInfo task, String identity, boolean workerHoldsRun) {
        ExecutionState state = m.state;
        String requestId = UUID.randomUUID().toString();
        task.recordStart(state.runId(), m.now, requestId, identity);
        List<HistoryEvent> speculativeEvents = List.of();
        if (task.speculative()) {
            task.startedAs(task.scheduledEventId() + 1);
            speculativeEvents = List.of(WorkflowTaskEvents.scheduledEvent(state, task), WorkflowTaskEvents.startedEvent(task));
        } else {
            long historySize = state.historySizeBytes(); // what the worker's SDK shows as the history's size
            task.startedAs(m.append(EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED,
                    e -> e.setEventTime(startedTime(m.now))
                            .getWorkflowTaskStartedEventAttributesBuilder()
                            .setScheduledEventId(task.scheduledEventId())
                            .setIdentity(identity)
                            .setRequestId(requestId)
                            .setHistorySizeBytes(historySize)).getEventId());
        }
        m.completeTimer(task.disarm());
        task.armTimer(m.armTimeout(TimerTask.Kind.WORKFLOW_TASK_TIMEOUT, task.scheduledEventId(), task.attempt(),
                TimeoutType.TIMEOUT_TYPE_START_TO_CLOSE, m.now + state.workflowTaskTimeoutMillis()));
        TaskToken token = new TaskToken(state.namespaceId(), state.workflowId(), state.runId(),
                task.scheduledEventId(), task.startedEventId(), task.attempt(), task.startedTimeMillis());
        PollWorkflowTaskQueueResponse.Builder response = PollWorkflowTaskQueueResponse.newBuilder()
                .setTaskToken(token.encode())
                .setWorkflowExecution(WorkflowExecution.newBuilder().setWorkflowId(state.workflowId())
                        .setRunId(state.runId()))
                .setWorkflowType(WorkflowType.newBuilder().setName(state.workflowType()))
                .setPreviousStartedEventId(state.lastCompletedWorkflowTaskStartedEventId())
                .setStartedEventId(task.startedEventId())
                .setAttempt(task.attempt())
                .setScheduledTime(Timestamps.fromMillis(task.scheduledTimeMillis()))
                .setStartedTime(Timestamps.fromMillis(task.startedTimeMillis()))
                .setWorkflowExecutionTaskQueue(TaskQueue.newBuilder().setName(state.taskQueue())
                        .setKind(TaskQueueKind.TASK_QUEUE_KIND_NORMAL));
        long firstEvent = task.sticky() || workerHoldsRun ? state.lastCompletedWorkflowTaskStartedEventId() + 1 : 1;
        return new Started(response, state, firstEvent, task.startedEventId(), speculativeEvents);
    }

    /**
     * The started event's time: the clock to the microsecond, and always after the transition's own time. The SDKs
     * take it as the workflow's clock ({@code workflow.Now()}), and code compares that clock with the times of the
     * events the task delivers: on Temporal a start is recorded when a poll takes the task, later than whatever
     * scheduled it, so a task started in the transition that scheduled it ({@link #startForWaitingPoll}) must
     * read later too, not the same millisecond.
     */
    private static com.google.protobuf.Timestamp startedTime(long transitionMillis) {
        java.time.Instant clock = java.time.Instant.now();
        long micros = Math.max(clock.getEpochSecond() * 1_000_000 + clock.getNano() / 1_000, transitionMillis * 1_000 + 1);
        return Timestamps.fromMicros(micros);
    }

    /** Adds the history the worker needs and the updates waiting for it, read after the start committed. */
    public PollWorkflowTaskQueueResponse withHistory(Started started) {
        long storedEnd = started.startedEventId() + 1 - started.speculativeEvents().size();
        return started.response()
                .setHistory(History.newBuilder()
                        .addAllEvents(engine.events(started.run(), started.firstEvent(), storedEnd))
                        .addAllEvents(started.speculativeEvents()))
                .addAllMessages(messages.forTask(started.run().runId(), started.startedEventId()))
                .build();
    }

    /** Forgets the worker's sticky queue: the next task goes to the normal queue with full history. */
    public void resetSticky(String namespaceId, String workflowId, String runId) {
        engine.update(namespaceId, workflowId, runId, m -> {
            if (!m.state.stickyTaskQueue().isEmpty()) {
                m.state.unstick();
                m.touch();
            }
            return null;
        });
    }

    /** A workflow task's timer fired: schedule-to-start on a sticky queue, or start-to-close. */
    private void onTimer(Mutation m, TimerTask timer) {
        WorkflowTaskInfo task = m.state.workflowTask();
        if (!m.state.isRunning() || task == null || task.scheduledEventId() != timer.subjectId()
                || task.attempt() != timer.attempt() || !timer.ref().equals(task.timer())) {
            return;
        }
        TimeoutType type = TimeoutType.forNumber(timer.timeoutType());
        task.disarm();
        if (type == TimeoutType.TIMEOUT_TYPE_SCHEDULE_TO_START) {
            if (task.state() != WorkflowTaskState.SCHEDULED) {
                return;
            }
            // The sticky worker is gone: hand the task to any worker of the normal queue.
            m.completeTransferTask(task.transferTaskId());
            m.append(EventType.EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT, e -> e.getWorkflowTaskTimedOutEventAttributesBuilder()
                    .setScheduledEventId(task.scheduledEventId())
                    .setTimeoutType(type));
            m.state.endWorkflowTask(WorkflowTaskState.TIMED_OUT);
            m.state.unstick();
            schedule(m, task.attempt());
            return;
        }
        m.append(EventType.EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT, e -> e.getWorkflowTaskTimedOutEventAttributesBuilder()
                .setScheduledEventId(task.scheduledEventId())
                .setStartedEventId(task.startedEventId())
                .setTimeoutType(type));
        m.state.endWorkflowTask(WorkflowTaskState.TIMED_OUT);
        m.state.unstick();
        m.flushBuffered();
        schedule(m, task.attempt() + 1);
    }

    /** Records the failure, writes what was buffered, and schedules the task again for a fresh try. */
    public static void fail(Mutation m, WorkflowTaskInfo task, WorkflowTaskFailedCause cause, Failure failure,
                      String identity) {
        m.append(EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED, e -> {
            var failed = e.getWorkflowTaskFailedEventAttributesBuilder()
                    .setScheduledEventId(task.scheduledEventId())
                    .setStartedEventId(task.startedEventId())
                    .setCause(cause)
                    .setIdentity(identity);
            if (failure != null) {
                failed.setFailure(failure);
            }
        });
        m.completeTimer(task.timer());
        m.state.endWorkflowTask(WorkflowTaskState.FAILED);
        m.state.unstick();
        m.flushBuffered();
        schedule(m, task.attempt() + 1);
    }

    /** The started workflow task the token names, or NOT_FOUND as Temporal answers for a stale token. */
    public static WorkflowTaskInfo current(Mutation m, TaskToken token) {
        WorkflowTaskInfo task = m.state.workflowTask();
        if (!m.state.isRunning() || task == null || task.scheduledEventId() != token.scheduledEventId()
                || task.startedEventId() != token.startedEventId()
                || (token.startedTimeMillis() != 0 && token.startedTimeMillis() != task.startedTimeMillis())) {
            throw ApiErrors.notFound("Workflow task not found.");
        }
        return task;
    }
}
