package dev.aeon.dataplane.history.engine;

import dev.aeon.dataplane.visibility.query.CustomSearchAttributes;
import dev.aeon.dataplane.history.state.ChildInfo;
import dev.aeon.dataplane.history.state.ActivityInfo;
import dev.aeon.dataplane.history.state.WorkflowTaskInfo;
import dev.aeon.dataplane.history.state.WorkflowTaskState;
import dev.aeon.dataplane.history.state.AutoResetPoints;
import dev.aeon.dataplane.history.state.ExecutionState;
import dev.aeon.dataplane.history.state.TimerTask;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.Timestamps;
import dev.aeon.dataplane.matching.DispatchTask;
import dev.aeon.dataplane.persistence.ExecutionStore.TaskKind;
import dev.aeon.dataplane.persistence.ExecutionStore.TaskRecord;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The changes of one state transition, collected while a request is applied to a run's mutable state and
 * committed together: new history events, new and completed tasks, whether the current-run pointer moves.
 * Nothing here touches storage; {@link HistoryEngine} commits it.
 */
public final class Mutation {

    /** Stands in for the started event id of an activity result buffered before its started event got an id. */
    public static final long UNASSIGNED = -1;

    final ShardContext shard;
    public final ExecutionState state;
    public final long now;
    final List<HistoryEvent> events = new ArrayList<>();
    final List<TaskRecord> newTasks = new ArrayList<>();
    final List<TaskRecord> completedTasks = new ArrayList<>();
    final List<DispatchTask> dispatch = new ArrayList<>();
    final List<DispatchTask> internalTasks = new ArrayList<>();
    final List<TimerTask> timers = new ArrayList<>();
    final List<Runnable> afterCommit = new ArrayList<>();
    public boolean currentRunChanged;
    /**
     * The run that replaces this one in the same transition (continue-as-new, a start that terminates the running
     * run): created in the same conditional batch, so the chain never breaks.
     */
    public Mutation successor;
    /** Set by a command whose outcome the workflow must see at once (an activity canceled before it started). */
    public boolean newWorkflowTaskNeeded;
    /** Activities scheduled by this completion that its worker asked to run itself (request_eager_execution). */
    public final List<ActivityInfo> eagerActivities = new ArrayList<>();

    /** How long the run's namespace keeps closed runs. */
    public final long retentionMillis;
    /** The namespace's custom search attributes: the run's state keeps their values by field, events by name. */
    public final CustomSearchAttributes searchAttributes;

    Mutation(ShardContext shard, ExecutionState state, long now, long retentionMillis,
             CustomSearchAttributes searchAttributes) {
        this.shard = shard;
        this.state = state;
        this.now = now;
        this.retentionMillis = retentionMillis;
        this.searchAttributes = searchAttributes;
    }

    /** Runs {@code action} once the transition committed (never if it does not). */
    public void afterCommit(Runnable action) {
        afterCommit.add(action);
    }

    private final List<Runnable> onAbort = new ArrayList<>();

    /** Runs {@code action} if the transition does not commit (refused, failed, or in doubt). */
    public void onAbort(Runnable action) {
        onAbort.add(action);
    }

    void aborted() {
        onAbort.forEach(Runnable::run);
        onAbort.clear();
    }

    /** Whether this transition itself queues the transfer task {@code taskId} for a worker (not written yet). */
    public boolean queuesForWorker(long taskId) {
        return dispatch.stream().anyMatch(task -> task.taskId() == taskId);
    }

    /** Reads the run's started event (its input and header), for runs that follow this one. */
    java.util.function.Supplier<HistoryEvent> startedEventLoader;

    public HistoryEvent startedEvent() {
        return startedEventLoader.get();
    }

    /** A mutation for a new run of the same workflow id, committed together with this one. */
    public Mutation startSuccessor(ExecutionState next) {
        AutoResetPoints.carryOver(state, next, now, retentionMillis);
        successor = new Mutation(shard, next, now, retentionMillis, searchAttributes);
        return successor;
    }

    boolean isEmpty() {
        return events.isEmpty() && newTasks.isEmpty() && completedTasks.isEmpty() && !currentRunChanged
                && !stateOnlyChange;
    }

    private boolean stateOnlyChange;

    /** Marks a change of mutable state alone (no events or tasks), such as an activity being picked up. */
    public void touch() {
        stateOnlyChange = true;
    }

    /** Appends an event to history now, giving it the next event id. */
    public HistoryEvent append(EventType type, java.util.function.Consumer<HistoryEvent.Builder> attributes) {
        materializeSpeculativeTask();
        HistoryEvent.Builder event = HistoryEvent.newBuilder()
                .setEventTime(Timestamps.fromMillis(now))
                .setEventType(type);
        attributes.accept(event);
        return appendBuilt(event);
    }

    private HistoryEvent appendBuilt(HistoryEvent.Builder event) {
        HistoryEvent built = event.setEventId(state.takeEventId()).setTaskId(shard.nextTaskId()).build();
        state.addHistoryBytes(built.getSerializedSize());
        events.add(built);
        return built;
    }

    /** How many events this transition wrote so far; an index for {@link #setUserMetadata}. */
    public int eventCount() {
        return events.size();
    }

    /**
     * Gives the {@code index}th event of this transition the user metadata (summary, details) of the command or
     * start request that wrote it, as Temporal records it: on the event itself, not in its attributes.
     */
    public void setUserMetadata(int index, io.temporal.api.sdk.v1.UserMetadata metadata) {
        amendEvent(index, event -> event.setUserMetadata(metadata));
    }

    /** Adds to the {@code index}th event of this transition what its writer knows only afterwards. */
    public void amendEvent(int index, java.util.function.Consumer<HistoryEvent.Builder> amendment) {
        HistoryEvent event = events.get(index);
        HistoryEvent.Builder builder = event.toBuilder();
        amendment.accept(builder);
        HistoryEvent with = builder.build();
        state.addHistoryBytes(with.getSerializedSize() - event.getSerializedSize());
        events.set(index, with);
    }

    /**
     * Writes events taken from another run's history with their ids (a reset's copy of its base run) as this run's
     * first events; its state was rebuilt from them already, so they must end where its next event begins.
     */
    public void copyEvents(List<HistoryEvent> copied) {
        if (!events.isEmpty() || copied.isEmpty() || copied.get(0).getEventId() != 1
                || copied.get(copied.size() - 1).getEventId() != state.nextEventId() - 1) {
            throw new IllegalStateException("copied events must be the whole history the run was rebuilt from");
        }
        for (HistoryEvent event : copied) {
            events.add(event.toBuilder().setTaskId(shard.nextTaskId()).build());
        }
    }

    /**
     * Turns a speculative workflow task into a normal one by writing its scheduled (and started) events. Any event
     * written while such a task exists comes after them: their ids were reserved when it was scheduled.
     */
    public void materializeSpeculativeTask() {
        WorkflowTaskInfo task = state.workflowTask();
        if (task == null || !task.speculative()) {
            return;
        }
        task.materialize();
        if (state.nextEventId() != task.scheduledEventId()) {
            throw new IllegalStateException("speculative workflow task " + task.scheduledEventId()
                    + " does not follow the last event " + (state.nextEventId() - 1));
        }
        appendBuilt(WorkflowTaskEvents.scheduledEvent(state, task).toBuilder());
        if (task.state() == WorkflowTaskState.STARTED) {
            appendBuilt(WorkflowTaskEvents.startedEvent(task).toBuilder());
        }
    }

    /**
     * Records an event that arrives from outside the workflow's own decisions (an activity result, a signal).
     * While a workflow task is running it is buffered and written when that task completes; otherwise it is
     * appended now. Returns true when it was appended.
     */
    public boolean appendOrBuffer(EventType type, java.util.function.Consumer<HistoryEvent.Builder> attributes) {
        if (workflowTaskInFlight()) {
            // Something the workflow must see arrived: a speculative task can no longer vanish.
            materializeSpeculativeTask();
            buffer(type, attributes);
            return false;
        }
        append(type, attributes);
        return true;
    }

    /**
     * Holds an event back until buffered events are next written. A completion's commands buffer what the server
     * adds on its own (an activity canceled before it started), as Temporal does: each command's own event gets the
     * id the SDK predicted for it (one event per command, in order), and what follows comes after them all.
     */
    public void buffer(EventType type, java.util.function.Consumer<HistoryEvent.Builder> attributes) {
        HistoryEvent.Builder event = HistoryEvent.newBuilder()
                .setEventTime(Timestamps.fromMillis(now))
                .setEventType(type);
        attributes.accept(event);
        state.bufferEvent(event.build().toByteArray());
        touch();
    }

    boolean workflowTaskInFlight() {
        return state.workflowTask() != null && state.workflowTask().state() == WorkflowTaskState.STARTED;
    }

    /** Writes buffered events to history in arrival order; returns how many there were. */
    public int flushBuffered() {
        if (state.bufferedEvents().isEmpty()) {
            return 0;
        }
        if (!state.isRunning()) {
            // The completion that buffered them also closed the run (cancel an activity, then complete): as
            // Temporal, nothing is written after the close event.
            state.clearBufferedEvents();
            return 0;
        }
        materializeSpeculativeTask();
        Map<Long, Long> startedByScheduled = new HashMap<>();
        Map<Long, Long> startedByInitiated = new HashMap<>();
        int flushed = 0;
        for (byte[] bytes : state.bufferedEvents()) {
            HistoryEvent buffered;
            try {
                buffered = HistoryEvent.parseFrom(bytes);
            } catch (InvalidProtocolBufferException e) {
                throw new IllegalStateException("corrupt buffered event", e);
            }
            HistoryEvent.Builder event = buffered.toBuilder()
                    .setEventId(state.takeEventId())
                    .setTaskId(shard.nextTaskId());
            if (event.hasActivityTaskStartedEventAttributes()) {
                startedByScheduled.put(event.getActivityTaskStartedEventAttributes().getScheduledEventId(),
                        event.getEventId());
            }
            if (event.hasChildWorkflowExecutionStartedEventAttributes()) {
                long initiated = event.getChildWorkflowExecutionStartedEventAttributes().getInitiatedEventId();
                startedByInitiated.put(initiated, event.getEventId());
                ChildInfo child = state.child(initiated);
                if (child != null) {
                    child.startedAs(event.getEventId());
                }
            }
            ActivityEvents.linkStartedEvent(event, startedByScheduled);
            ActivityEvents.linkChildStartedEvent(event, startedByInitiated);
            HistoryEvent built = event.build();
            state.addHistoryBytes(built.getSerializedSize());
            events.add(built);
            flushed++;
        }
        state.clearBufferedEvents();
        return flushed;
    }

    public void addTransferTask(DispatchTask.Kind kind, String taskQueue, long scheduledEventId,
                         java.util.function.LongConsumer taskIdSink) {
        long taskId = shard.nextTaskId();
        DispatchTask task = new DispatchTask(kind, state.namespaceId(), taskQueue, state.workflowId(), state.runId(),
                scheduledEventId, shard.shardId(), taskId, null);
        newTasks.add(new TaskRecord(shard.shardId(), TaskKind.TRANSFER, taskId, 0, StateCodec.encode(task)));
        dispatch.add(task);
        taskIdSink.accept(taskId);
    }

    /** Durable timers: the row is deleted when it fires or when {@link #completeTimer} says so first. */
    /** A timer of the run itself (run timeout, first-task backoff, deletion after retention). */
    public TimerTask.TimerRef armRunTimer(TimerTask.Kind kind, long dueMillis) {
        return addTimer(kind, 0, 0, 0, null, dueMillis).ref();
    }

    /** A timeout of one attempt of a workflow task or an activity, {@code subjectId} being its scheduled event id. */
    public TimerTask.TimerRef armTimeout(TimerTask.Kind kind, long subjectId, int attempt,
                                         io.temporal.api.enums.v1.TimeoutType type, long dueMillis) {
        return addTimer(kind, subjectId, attempt, type.getNumber(), null, dueMillis).ref();
    }

    /** The backoff after which an activity's next attempt is queued. */
    public TimerTask.TimerRef armActivityRetry(long scheduledEventId, int nextAttempt, long dueMillis) {
        return addTimer(TimerTask.Kind.ACTIVITY_RETRY, scheduledEventId, nextAttempt, 0, null, dueMillis).ref();
    }

    /** A timer the workflow started (StartTimer), known by its id and its started event. */
    public TimerTask.TimerRef armUserTimer(String timerId, long startedEventId, long dueMillis) {
        return addTimer(TimerTask.Kind.USER_TIMER, startedEventId, 0, 0, timerId, dueMillis).ref();
    }

    private TimerTask addTimer(TimerTask.Kind kind, long subjectId, int attempt, int timeoutType, String timerId,
                               long dueMillis) {
        // A timer already due fires now; never earlier than its transition, so it cannot land below the shard's
        // timer ack level (TaskReconciliation).
        long fireAtMillis = Math.max(dueMillis, now);
        TimerTask timer = new TimerTask(kind, state.namespaceId(), state.workflowId(), state.runId(), subjectId, attempt,
                timeoutType, timerId, shard.shardId(), shard.nextTaskId(), fireAtMillis);
        newTasks.add(new TaskRecord(shard.shardId(), TaskKind.TIMER, timer.taskId(), fireAtMillis,
                StateCodec.encode(timer)));
        timers.add(timer);
        return timer;
    }

    /** Deletes a timer whose subject completed first; null is ignored. */
    public void completeTimer(TimerTask.TimerRef timer) {
        if (timer != null) {
            completedTasks.add(new TaskRecord(shard.shardId(), TaskKind.TIMER, timer.taskId(), timer.fireAtMillis(),
                    new byte[0]));
        }
    }

    /** Adds work between workflows (start a child, tell a parent, signal another run), done after the commit. */
    public long addCrossWorkflowTask(DispatchTask.Kind kind, long subjectEventId) {
        long taskId = addInternalTask(kind, subjectEventId);
        state.addCrossWorkflowTask(taskId);
        return taskId;
    }

    /** A task of the data plane's own, written in this transition's batch and run after the commit; its id. */
    private long addInternalTask(DispatchTask.Kind kind, long subjectEventId) {
        long taskId = shard.nextTaskId();
        DispatchTask task = new DispatchTask(kind, state.namespaceId(), "", state.workflowId(), state.runId(),
                subjectEventId, shard.shardId(), taskId, null);
        newTasks.add(new TaskRecord(shard.shardId(), TaskKind.TRANSFER, taskId, 0, StateCodec.encode(task)));
        internalTasks.add(task);
        return taskId;
    }

    /**
     * The events after which lists and counts must show the run differently: it started, its search attributes or
     * memo changed, it closed. Other transitions change only what a record shows of a run's progress (history
     * length), which Temporal's visibility, too, brings up to date only at these points.
     */
    private static final java.util.Set<EventType> SHOWN_IN_VISIBILITY = java.util.EnumSet.of(
            EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED,
            EventType.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES,
            EventType.EVENT_TYPE_WORKFLOW_PROPERTIES_MODIFIED,
            EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED,
            EventType.EVENT_TYPE_WORKFLOW_EXECUTION_FAILED,
            EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TIMED_OUT,
            EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED,
            EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED,
            EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW);

    /** Adds a visibility task when this transition's events change what visibility shows of the run. */
    void addVisibilityTaskIfShown() {
        if (events.stream().anyMatch(event -> SHOWN_IN_VISIBILITY.contains(event.getEventType()))) {
            addInternalTask(DispatchTask.Kind.VISIBILITY, 0);
        }
    }

    /** Takes back a transfer task added by this mutation: its work is done inside the mutation after all. */
    public void withdrawTransferTask(long taskId) {
        newTasks.removeIf(task -> task.kind() == TaskKind.TRANSFER && task.taskId() == taskId);
        dispatch.removeIf(task -> task.taskId() == taskId);
    }

    public void completeTransferTask(long taskId) {
        completedTasks.add(new TaskRecord(shard.shardId(), TaskKind.TRANSFER, taskId, 0, new byte[0]));
        state.crossWorkflowTaskDone(taskId);
    }

    /** Deletes the run as soon as its cross-workflow work is done: a retention timer due now. */
    public void deleteSoon() {
        if (state.markDeleting()) {
            armRunTimer(TimerTask.Kind.DELETE_CLOSED_RUN, now);
        }
    }
}
