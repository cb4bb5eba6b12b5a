package dev.aeon.dataplane.schedule;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.Durations;
import dev.aeon.dataplane.schedule.ScheduleState.Action;
import dev.aeon.dataplane.schedule.ScheduleState.Start;
import dev.aeon.dataplane.schedule.ScheduleState.Stop;
import dev.aeon.dataplane.schedule.spec.CompiledSpec;
import dev.aeon.dataplane.schedule.spec.ScheduledTime;
import io.temporal.api.enums.v1.ScheduleOverlapPolicy;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.schedule.v1.Schedule;
import io.temporal.api.schedule.v1.SchedulePolicies;
import io.temporal.api.schedule.v1.ScheduleState.Builder;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Temporal's scheduler, as decisions on a schedule's state: which times are due, what the overlap policy makes of
 * them, what a closed workflow changes. Pure: it reads the clock it is given and records what to do in
 * {@link ScheduleState} (starts to carry out, workflows to stop); the {@code Schedules} lifecycle commits that
 * state and carries the decisions out. The rules and numbers are Temporal's scheduler workflow's (v1.29–1.31).
 */
final class Scheduler {

    static final String WORKFLOW_ID_PREFIX = "temporal-sys-scheduler:";
    static final String WORKFLOW_TYPE = "temporal-sys-scheduler-workflow";
    static final String TASK_QUEUE = "temporal-sys-per-ns-tq";
    static final int RECENT_ACTIONS = 10;
    static final int FUTURE_ACTIONS = 10;
    static final int MAX_BUFFER = 1000;
    static final long DEFAULT_CATCHUP_WINDOW_MILLIS = 365L * 24 * 60 * 60 * 1000;
    static final long MIN_CATCHUP_WINDOW_MILLIS = 10_000;
    /** How long a schedule with nothing left to do stays before it ends (Temporal's RetentionTime tweakable). */
    static final long IDLE_RETENTION_MILLIS = 7L * 24 * 60 * 60 * 1000;
    /** Backfilled times buffered in one transition, and only while the buffer is below half full (Temporal: 500). */
    static final int BACKFILL_PER_TRANSITION = 100;
    /**
     * Scheduled times one transition walks. After a long downtime a per-second schedule has a year of them; the
     * walk goes on in the next transition, woken at once, so no transition is unbounded.
     */
    static final int TIMES_PER_TRANSITION = 2000;
    private static final DateTimeFormatter RFC3339 = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'")
            .withZone(ZoneOffset.UTC);

    private final ScheduleState state;
    private final String scheduleId;
    private final String jitterSeed;
    /** Prefix of the request ids of this scheduler run's starts: its run id, unique per schedule incarnation. */
    private final String requestIdPrefix;
    private Schedule schedule;
    private CompiledSpec spec;
    /** The walk of scheduled times stopped at {@link #TIMES_PER_TRANSITION}: wake again at once. */
    private boolean walkUnfinished;

    Scheduler(ScheduleState state, String namespaceId, String scheduleId, String requestIdPrefix) {
        this.state = state;
        this.scheduleId = scheduleId;
        this.jitterSeed = CompiledSpec.jitterSeed(namespaceId, scheduleId);
        this.requestIdPrefix = requestIdPrefix;
        this.schedule = parse(state.schedule);
        this.spec = CompiledSpec.compile(schedule.getSpec());
    }

    /** A new schedule's state: {@code schedule} with its policies defaulted as Describe shows them. */
    static ScheduleState created(Schedule schedule, long nowMillis) {
        ScheduleState state = new ScheduleState();
        state.schedule = withDefaults(schedule).toByteArray();
        state.createTimeMillis = nowMillis;
        state.decidedUntilMillis = nowMillis;
        return state;
    }

    /**
     * Temporal's {@code ensureFields}: an unspecified overlap policy reads SKIP, the catch-up window its default
     * (a year) or at least 10 s; the spec is stored in its canonical form (calendars structured).
     */
    static Schedule withDefaults(Schedule schedule) {
        Schedule.Builder filled = schedule.toBuilder();
        filled.setSpec(CompiledSpec.compile(schedule.getSpec()).canonicalForm());
        SchedulePolicies.Builder policies = filled.getPoliciesBuilder();
        if (policies.getOverlapPolicy() == ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_UNSPECIFIED) {
            policies.setOverlapPolicy(ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_SKIP);
        }
        long window = policies.hasCatchupWindow() ? Durations.toMillis(policies.getCatchupWindow())
                : DEFAULT_CATCHUP_WINDOW_MILLIS;
        policies.setCatchupWindow(Durations.fromMillis(Math.max(window, MIN_CATCHUP_WINDOW_MILLIS)));
        return filled.build();
    }

    Schedule schedule() {
        return schedule;
    }

    ScheduleState state() {
        return state;
    }

    CompiledSpec spec() {
        return spec;
    }

    String jitterSeed() {
        return jitterSeed;
    }

    /** Stores what changed; the state's bytes are what the transition commits. */
    ScheduleState save() {
        state.schedule = schedule.toByteArray();
        return state;
    }

    // ---- Time passing ----

    /** Decides every scheduled and backfilled time due by {@code now}, then what the buffer may start. */
    void advance(long now) {
        decideScheduledTimes(now);
        decideBackfills();
        processBuffer();
    }

    /**
     * Temporal's {@code processTimeRange}: each time the spec matched since the last decided one is buffered,
     * unless it is older than the catch-up window (counted as missed) or before the last update (dropped). A paused
     * or used-up schedule lets the times pass uncounted.
     */
    private void decideScheduledTimes(long now) {
        if (!mayActOnSchedule()) {
            state.decidedUntilMillis = Math.max(state.decidedUntilMillis, now);
            return;
        }
        long window = Durations.toMillis(schedule.getPolicies().getCatchupWindow());
        for (int walked = 0; ; walked++) {
            if (walked >= TIMES_PER_TRANSITION) {
                walkUnfinished = true;
                return;
            }
            Optional<ScheduledTime> next = spec.nextTime(jitterSeed, Instant.ofEpochMilli(state.decidedUntilMillis));
            if (next.isEmpty() || next.get().actual().toEpochMilli() > now) {
                return;
            }
            long actual = next.get().actual().toEpochMilli();
            state.decidedUntilMillis = actual;
            if (actual < state.updateTimeMillis) {
                continue;
            }
            if (now - actual > window) {
                state.missedCatchupWindow++;
                continue;
            }
            buffer(next.get().nominal().toEpochMilli(), actual,
                    ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_UNSPECIFIED_VALUE, false);
        }
    }

    /** Backfilled times, a bounded number a transition, while the buffer has room. */
    private void decideBackfills() {
        int buffered = 0;
        while (!state.backfills.isEmpty() && buffered < BACKFILL_PER_TRANSITION && state.buffer.size() < MAX_BUFFER / 2) {
            ScheduleState.Backfill backfill = state.backfills.get(0);
            Optional<ScheduledTime> next = spec.nextTime(jitterSeed, Instant.ofEpochMilli(backfill.cursorMillis()));
            if (next.isEmpty() || next.get().actual().toEpochMilli() > backfill.endMillis()) {
                state.backfills.remove(0);
                continue;
            }
            state.backfills.set(0, backfill.at(next.get().actual().toEpochMilli()));
            buffer(next.get().nominal().toEpochMilli(), next.get().actual().toEpochMilli(), backfill.overlapPolicy(), true);
            buffered++;
        }
    }

    private void buffer(long nominal, long actual, int overlapPolicy, boolean manual) {
        if (state.buffer.size() >= MAX_BUFFER) {
            state.bufferDropped++;
            return;
        }
        state.buffer.add(new Start(nominal, actual, overlapPolicy, manual, null, null));
    }

    /**
     * Temporal's {@code ProcessBuffer}: ALLOW_ALL starts always; otherwise the first time starts if nothing runs,
     * and the rest follow their policy (skipped, kept for later, or kept while the running workflow is cancelled
     * or terminated).
     */
    private void processBuffer() {
        if (state.buffer.isEmpty() || !schedule.getAction().hasStartWorkflow()) {
            return;
        }
        boolean isRunning = !state.running.isEmpty();
        List<Start> overlapping = new ArrayList<>();
        Start nonOverlapping = null;
        List<Start> kept = new ArrayList<>();
        boolean needCancel = false;
        boolean needTerminate = false;
        for (Start start : state.buffer) {
            ScheduleOverlapPolicy policy = resolve(start.overlapPolicy());
            if (policy == ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_ALLOW_ALL) {
                overlapping.add(start);
                continue;
            }
            if (!isRunning && nonOverlapping == null) {
                nonOverlapping = start;
                continue;
            }
            switch (policy) {
                case SCHEDULE_OVERLAP_POLICY_BUFFER_ONE -> {
                    if (kept.isEmpty()) {
                        kept.add(start);
                    } else {
                        state.overlapSkipped++;
                    }
                }
                case SCHEDULE_OVERLAP_POLICY_BUFFER_ALL -> kept.add(start);
                case SCHEDULE_OVERLAP_POLICY_CANCEL_OTHER, SCHEDULE_OVERLAP_POLICY_TERMINATE_OTHER -> {
                    boolean terminate = policy == ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_TERMINATE_OTHER;
                    if (isRunning) {
                        needCancel |= !terminate;
                        needTerminate |= terminate;
                        kept.add(start);
                    } else {
                        nonOverlapping = start; // the newer time replaces the one chosen before it
                    }
                }
                default -> state.overlapSkipped++; // SKIP
            }
        }
        if (needCancel || needTerminate) {
            overlapping.clear();
        }
        state.buffer = kept;
        for (Start start : overlapping) {
            if (mayTake(start)) {
                decideStart(start, false);
            }
        }
        if (nonOverlapping != null && mayTake(nonOverlapping)) {
            decideStart(nonOverlapping, true);
        }
        if (needCancel || needTerminate) {
            for (Action running : state.running) {
                Stop stop = new Stop(running.workflowId(), running.runId(), needTerminate);
                if (running.runId() != null && !state.stopping.contains(stop)) {
                    state.stopping.add(stop);
                }
            }
        }
    }

    private ScheduleOverlapPolicy resolve(int requested) {
        ScheduleOverlapPolicy policy = ScheduleOverlapPolicy.forNumber(requested);
        if (policy == null || policy == ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_UNSPECIFIED) {
            policy = schedule.getPolicies().getOverlapPolicy();
        }
        return policy == ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_UNSPECIFIED || policy == null
                ? ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_SKIP : policy;
    }

    /** Whether scheduled (not manual) times act: not paused, and actions left when they are limited. */
    private boolean mayActOnSchedule() {
        var s = schedule.getState();
        return !s.getPaused() && (!s.getLimitedActions() || s.getRemainingActions() > 0);
    }

    /** Temporal's {@code canTakeScheduledAction} with decrement: a scheduled start uses up one remaining action. */
    private boolean mayTake(Start start) {
        if (start.manual()) {
            return true;
        }
        if (!mayActOnSchedule()) {
            return false;
        }
        if (schedule.getState().getLimitedActions()) {
            Builder s = schedule.getState().toBuilder().setRemainingActions(schedule.getState().getRemainingActions() - 1);
            schedule = schedule.toBuilder().setState(s).build();
            state.conflictToken++;
        }
        return true;
    }

    /**
     * A start is decided: it gets its workflow id (the action's, with the nominal time appended, as Temporal always
     * does) and a request id, and is carried out after the commit. A non-overlapping start is tracked as running
     * from now on, so the overlap policy sees it before its workflow exists.
     */
    private void decideStart(Start start, boolean tracked) {
        String workflowId = workflowId(schedule.getAction().getStartWorkflow().getWorkflowId(), start.nominalMillis());
        String requestId = requestIdPrefix + "-" + (++state.startSequence);
        state.starting.add(new Start(start.nominalMillis(), start.actualMillis(), start.overlapPolicy(), start.manual(),
                requestId, workflowId));
        if (tracked) {
            state.running.add(new Action(start.actualMillis(), start.actualMillis(), workflowId, null,
                    WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING_VALUE));
        }
    }

    /** {@code <action's workflow id>-<nominal time, UTC, whole seconds, RFC 3339>}. */
    static String workflowId(String base, long nominalMillis) {
        return base + "-" + RFC3339.format(Instant.ofEpochMilli(nominalMillis).truncatedTo(ChronoUnit.SECONDS));
    }

    // ---- Outcomes of what was decided ----

    /** A decided start was carried out: its workflow runs as {@code runId}. */
    void started(String requestId, String runId, long now) {
        Start start = takeStarting(requestId);
        if (start == null) {
            return;
        }
        state.actionCount++;
        state.running.replaceAll(action -> action.workflowId().equals(start.workflowId()) && action.runId() == null
                ? action.withRun(runId) : action);
        // its close may have been reported before its start was recorded (a workflow done in milliseconds)
        Integer closedAs = state.closedBeforeRecorded.remove(start.workflowId());
        state.recent.add(new Action(start.actualMillis(), now, start.workflowId(), runId,
                closedAs != null ? closedAs : WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING_VALUE));
        while (state.recent.size() > RECENT_ACTIONS) {
            state.recent.remove(0);
        }
    }

    /** A decided start could not be: its workflow id is in use. Dropped, as Temporal drops it. */
    void startRefused(String requestId) {
        Start start = takeStarting(requestId);
        if (start != null) {
            state.running.removeIf(action -> action.workflowId().equals(start.workflowId()) && action.runId() == null);
            processBuffer();
        }
    }

    private Start takeStarting(String requestId) {
        for (int i = 0; i < state.starting.size(); i++) {
            if (state.starting.get(i).requestId().equals(requestId)) {
                return state.starting.remove(i);
            }
        }
        return null;
    }

    void stopped(Stop stop) {
        state.stopping.remove(stop);
    }

    /**
     * A workflow this schedule started closed ({@code firstRunId}: the run the start created). Its recent action
     * shows the status; a tracked one no longer runs, hands its result or failure to the next start, and may pause
     * the schedule (pause on failure); then the buffer may start what waited for it.
     */
    void closed(String workflowId, String firstRunId, WorkflowExecutionStatus status,
                io.temporal.api.common.v1.Payloads result, io.temporal.api.failure.v1.Failure failure, long now) {
        state.recent.replaceAll(action -> action.workflowId().equals(workflowId) && firstRunId.equals(action.runId())
                ? action.withStatus(status.getNumber()) : action);
        if (state.starting.stream().anyMatch(start -> workflowId.equals(start.workflowId()))) {
            state.closedBeforeRecorded.put(workflowId, status.getNumber());
        }
        // A tracked run whose start is not recorded yet has no run id here: its workflow id (one per time) names it.
        boolean tracked = state.running.removeIf(action -> action.workflowId().equals(workflowId)
                && (action.runId() == null || firstRunId.equals(action.runId())));
        if (tracked) {
            if (status == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED) {
                state.lastCompletionResult = result == null ? null : result.toByteArray();
                state.continuedFailure = null;
            } else if (status == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_FAILED && failure != null) {
                state.continuedFailure = failure.toByteArray();
            }
            boolean failed = status == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_FAILED
                    || status == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_TIMED_OUT;
            if (failed && schedule.getPolicies().getPauseOnFailure() && !schedule.getState().getPaused()) {
                pause(status == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_FAILED
                        ? "paused due to workflow failure: " + workflowId + ": " + (failure == null ? "" : failure.getMessage())
                        : "paused due to workflow timeout: " + workflowId, now);
            }
        }
        advance(now);
    }

    // ---- What tenants ask ----

    /** TriggerImmediately: the time given (or now) is both nominal and actual; pause and limits do not apply. */
    void trigger(long at, ScheduleOverlapPolicy policy, long now) {
        advance(now);
        buffer(at, at, policy.getNumber(), true);
        processBuffer();
    }

    /** A backfill of (start, end]: Temporal makes the start inclusive by starting its walk a millisecond before. */
    void backfill(long startMillis, long endMillis, ScheduleOverlapPolicy policy, long now) {
        advance(now);
        if (state.backfills.size() >= MAX_BUFFER) {
            state.bufferDropped++;
            return;
        }
        state.backfills.add(new ScheduleState.Backfill(startMillis - 1, endMillis, policy.getNumber()));
        advance(now);
    }

    void pause(String notes, long now) {
        advance(now);
        schedule = schedule.toBuilder().setState(schedule.getState().toBuilder().setPaused(true).setNotes(notes)).build();
        state.conflictToken++;
    }

    /** Times that passed while paused are not caught up. */
    void unpause(String notes, long now) {
        advance(now);
        schedule = schedule.toBuilder().setState(schedule.getState().toBuilder().setPaused(false).setNotes(notes)).build();
        state.conflictToken++;
        advance(now);
    }

    /**
     * UpdateSchedule: spec, action, policies and state are replaced; times before now are not acted on under the
     * new spec (Temporal drops times before the update time).
     */
    void update(Schedule replacement, long now) {
        advance(now);
        schedule = withDefaults(replacement);
        spec = CompiledSpec.compile(schedule.getSpec());
        state.updateTimeMillis = now;
        state.conflictToken++;
        advance(now);
    }

    // ---- What the schedule shows and when it wakes ----

    /**
     * When the schedule must next decide something: its next time, or, when it will never act again on its own
     * (no time left, or its actions used up) and is not paused, the end of its idle retention. Empty while paused.
     */
    Optional<Long> nextWake(long now) {
        if (walkUnfinished || !state.backfills.isEmpty()) {
            return Optional.of(now);
        }
        if (schedule.getState().getPaused()) {
            return Optional.empty();
        }
        Optional<Long> next = mayActOnSchedule() ? spec.nextTime(jitterSeed, Instant.ofEpochMilli(state.decidedUntilMillis))
                .map(time -> time.actual().toEpochMilli()) : Optional.empty();
        return next.isPresent() ? next : Optional.of(idleUntil());
    }

    /**
     * Temporal's idle expiry: a schedule that is not paused, will never act again on its own, and has nothing
     * running, buffered or being started, ends {@link #IDLE_RETENTION_MILLIS} after its last action, creation or
     * update (whichever is latest), and is gone from lists and Describe as if deleted.
     */
    boolean expired(long now) {
        if (schedule.getState().getPaused() || !state.buffer.isEmpty() || !state.starting.isEmpty()
                || !state.running.isEmpty() || !state.backfills.isEmpty()) {
            return false;
        }
        boolean actsAgain = mayActOnSchedule()
                && spec.nextTime(jitterSeed, Instant.ofEpochMilli(state.decidedUntilMillis)).isPresent();
        return !actsAgain && now >= idleUntil();
    }

    private long idleUntil() {
        long last = Math.max(state.createTimeMillis, state.updateTimeMillis);
        for (Action action : state.recent) {
            last = Math.max(last, action.actualTimeMillis());
        }
        return last + IDLE_RETENTION_MILLIS;
    }

    /**
     * The next {@code count} action times: from the last decided time on, none before the last update, no more
     * than the remaining actions when they are limited. Computed while paused too, as Temporal does.
     */
    List<Instant> futureActionTimes(int count) {
        int limit = schedule.getState().getLimitedActions()
                ? (int) Math.min(count, Math.max(schedule.getState().getRemainingActions(), 0)) : count;
        List<Instant> times = new ArrayList<>();
        Instant after = Instant.ofEpochMilli(state.decidedUntilMillis);
        while (times.size() < limit) {
            Optional<ScheduledTime> next = spec.nextTime(jitterSeed, after);
            if (next.isEmpty()) {
                break;
            }
            after = next.get().actual();
            if (after.toEpochMilli() >= state.updateTimeMillis) {
                times.add(after);
            }
        }
        return times;
    }

    static Schedule parse(byte[] bytes) {
        try {
            return Schedule.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("corrupt schedule state", e);
        }
    }
}
