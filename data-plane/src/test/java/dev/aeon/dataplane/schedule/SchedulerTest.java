package dev.aeon.dataplane.schedule;

import com.google.protobuf.util.Durations;
import io.temporal.api.common.v1.WorkflowType;
import io.temporal.api.enums.v1.ScheduleOverlapPolicy;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.failure.v1.Failure;
import io.temporal.api.schedule.v1.IntervalSpec;
import io.temporal.api.schedule.v1.Schedule;
import io.temporal.api.schedule.v1.ScheduleAction;
import io.temporal.api.schedule.v1.SchedulePolicies;
import io.temporal.api.schedule.v1.ScheduleSpec;
import io.temporal.api.taskqueue.v1.TaskQueue;
import io.temporal.api.workflow.v1.NewWorkflowExecutionInfo;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The scheduler's decisions, without a database: which times are due, what each overlap policy makes of them
 * (Temporal's ProcessBuffer), the catch-up window, pause, limits, updates, triggers and backfills, and the
 * exactly-once property: however time is cut into transitions, each time is decided once.
 */
class SchedulerTest {

    private static final long T0 = Instant.parse("2026-03-01T00:00:00Z").toEpochMilli();
    private static final ScheduleOverlapPolicy SKIP = ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_SKIP;
    private static final ScheduleOverlapPolicy BUFFER_ONE = ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_BUFFER_ONE;
    private static final ScheduleOverlapPolicy BUFFER_ALL = ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_BUFFER_ALL;
    private static final ScheduleOverlapPolicy ALLOW_ALL = ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_ALLOW_ALL;
    private static final ScheduleOverlapPolicy CANCEL_OTHER = ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_CANCEL_OTHER;
    private static final ScheduleOverlapPolicy TERMINATE_OTHER = ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_TERMINATE_OTHER;

    private static Schedule.Builder everyTenSeconds(ScheduleOverlapPolicy overlap) {
        return Schedule.newBuilder()
                .setSpec(ScheduleSpec.newBuilder().addInterval(IntervalSpec.newBuilder().setInterval(Durations.fromSeconds(10))))
                .setAction(ScheduleAction.newBuilder().setStartWorkflow(NewWorkflowExecutionInfo.newBuilder()
                        .setWorkflowId("job").setWorkflowType(WorkflowType.newBuilder().setName("Job"))
                        .setTaskQueue(TaskQueue.newBuilder().setName("q"))))
                .setPolicies(SchedulePolicies.newBuilder().setOverlapPolicy(overlap));
    }

    private static Scheduler scheduler(Schedule schedule) {
        return new Scheduler(Scheduler.created(schedule, T0), "ns-id", "sched", "run");
    }

    /** What the actions task would do: every decided start runs, as run "r-<workflow id>". */
    private static List<String> carryOut(Scheduler scheduler, long now) {
        List<String> started = new ArrayList<>();
        for (ScheduleState.Start start : List.copyOf(scheduler.state().starting)) {
            scheduler.started(start.requestId(), "r-" + start.workflowId(), now);
            started.add(start.workflowId());
        }
        return started;
    }

    private static long at(int seconds) {
        return T0 + seconds * 1000L;
    }

    @Test
    void workflowIdsCarryTheNominalTimeInWholeSecondsUtc() {
        assertEquals("job-2026-03-01T00:00:10Z", Scheduler.workflowId("job", at(10) + 999));
    }

    @Test
    void afterDowntimeSkipStartsOneAndSkipsTheRest() {
        Scheduler scheduler = scheduler(everyTenSeconds(SKIP).build());
        scheduler.advance(at(35));
        assertEquals(List.of("job-2026-03-01T00:00:10Z"), carryOut(scheduler, at(35)));
        assertEquals(2, scheduler.state().overlapSkipped);
        scheduler.advance(at(45)); // still running: skipped
        assertEquals(3, scheduler.state().overlapSkipped);
        assertTrue(scheduler.state().starting.isEmpty());
    }

    @Test
    void bufferOneKeepsOneAndStartsItWhenTheRunningWorkflowCloses() {
        Scheduler scheduler = scheduler(everyTenSeconds(BUFFER_ONE).build());
        scheduler.advance(at(35));
        assertEquals(List.of("job-2026-03-01T00:00:10Z"), carryOut(scheduler, at(35)));
        assertEquals(1, scheduler.state().buffer.size());
        assertEquals(1, scheduler.state().overlapSkipped);
        scheduler.closed("job-2026-03-01T00:00:10Z", "r-job-2026-03-01T00:00:10Z",
                WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED, null, null, at(36));
        assertEquals(List.of("job-2026-03-01T00:00:20Z"), carryOut(scheduler, at(36)));
        assertEquals(2, scheduler.state().actionCount);
    }

    @Test
    void bufferAllRunsEveryTimeOneAfterTheOther() {
        Scheduler scheduler = scheduler(everyTenSeconds(BUFFER_ALL).build());
        scheduler.advance(at(35));
        List<String> started = new ArrayList<>(carryOut(scheduler, at(35)));
        for (int i = 0; i < 2; i++) {
            String running = scheduler.state().running.get(0).workflowId();
            scheduler.closed(running, "r-" + running, WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED,
                    null, null, at(36));
            started.addAll(carryOut(scheduler, at(36)));
        }
        assertEquals(List.of("job-2026-03-01T00:00:10Z", "job-2026-03-01T00:00:20Z", "job-2026-03-01T00:00:30Z"), started);
        assertEquals(0, scheduler.state().overlapSkipped);
    }

    @Test
    void allowAllStartsEveryTimeAndTracksNone() {
        Scheduler scheduler = scheduler(everyTenSeconds(ALLOW_ALL).build());
        scheduler.advance(at(35));
        assertEquals(3, carryOut(scheduler, at(35)).size());
        assertTrue(scheduler.state().running.isEmpty());
    }

    @Test
    void cancelOtherAndTerminateOtherStopTheRunningWorkflowAndStartWhenItCloses() {
        for (ScheduleOverlapPolicy policy : List.of(CANCEL_OTHER, TERMINATE_OTHER)) {
            Scheduler scheduler = scheduler(everyTenSeconds(policy).build());
            scheduler.advance(at(12));
            carryOut(scheduler, at(12));
            scheduler.advance(at(22));
            assertTrue(scheduler.state().starting.isEmpty());
            assertEquals(List.of(new ScheduleState.Stop("job-2026-03-01T00:00:10Z", "r-job-2026-03-01T00:00:10Z",
                    policy == TERMINATE_OTHER)), scheduler.state().stopping);
            scheduler.stopped(scheduler.state().stopping.get(0));
            scheduler.closed("job-2026-03-01T00:00:10Z", "r-job-2026-03-01T00:00:10Z",
                    WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_CANCELED, null, null, at(23));
            assertEquals(List.of("job-2026-03-01T00:00:20Z"), carryOut(scheduler, at(23)));
        }
    }

    @Test
    void timesOlderThanTheCatchupWindowAreMissed() {
        Scheduler scheduler = scheduler(everyTenSeconds(ALLOW_ALL)
                .setPolicies(SchedulePolicies.newBuilder().setOverlapPolicy(ALLOW_ALL)
                        .setCatchupWindow(Durations.fromSeconds(25))).build());
        scheduler.advance(at(60));
        assertEquals(List.of("job-2026-03-01T00:00:40Z", "job-2026-03-01T00:00:50Z", "job-2026-03-01T00:01:00Z"),
                carryOut(scheduler, at(60)));
        assertEquals(3, scheduler.state().missedCatchupWindow);
    }

    @Test
    void aCatchupWindowBelowTenSecondsIsRaisedAndAnUnsetOneIsAYear() {
        assertEquals(Durations.fromSeconds(10), Scheduler.withDefaults(everyTenSeconds(SKIP)
                .setPolicies(SchedulePolicies.newBuilder().setCatchupWindow(Durations.fromSeconds(1))).build())
                .getPolicies().getCatchupWindow());
        Schedule defaulted = Scheduler.withDefaults(everyTenSeconds(ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_UNSPECIFIED)
                .clearPolicies().build());
        assertEquals(Durations.fromHours(365 * 24), defaulted.getPolicies().getCatchupWindow());
        assertEquals(SKIP, defaulted.getPolicies().getOverlapPolicy());
    }

    @Test
    void pausedTimesPassUncountedAndUnpauseDoesNotCatchUp() {
        Scheduler scheduler = scheduler(everyTenSeconds(ALLOW_ALL).build());
        scheduler.pause("hold", at(1));
        assertTrue(scheduler.nextWake(at(1)).isEmpty());
        scheduler.unpause("go", at(45));
        assertTrue(scheduler.state().starting.isEmpty());
        assertEquals(0, scheduler.state().missedCatchupWindow);
        assertEquals(at(50), scheduler.nextWake(at(45)).orElseThrow());
        assertEquals(3, scheduler.state().conflictToken);
    }

    @Test
    void limitedActionsRunOutAndEachUseRaisesTheConflictToken() {
        Schedule.Builder limited = everyTenSeconds(ALLOW_ALL);
        limited.getStateBuilder().setLimitedActions(true).setRemainingActions(2);
        Scheduler scheduler = scheduler(limited.build());
        scheduler.advance(at(45));
        assertEquals(2, carryOut(scheduler, at(45)).size());
        assertEquals(0, scheduler.schedule().getState().getRemainingActions());
        assertEquals(3, scheduler.state().conflictToken);
        assertTrue(scheduler.futureActionTimes(10).isEmpty());
        // nothing more to do on its own: it wakes once more, a week after its last action, to end
        assertEquals(at(45) + Scheduler.IDLE_RETENTION_MILLIS, scheduler.nextWake(at(45)).orElseThrow());
        assertFalse(scheduler.expired(at(45) + Scheduler.IDLE_RETENTION_MILLIS - 1));
        assertTrue(scheduler.expired(at(45) + Scheduler.IDLE_RETENTION_MILLIS));
    }

    @Test
    void aScheduleThatWillActAgainOrIsPausedOrBusyNeverExpires() {
        Scheduler acting = scheduler(everyTenSeconds(SKIP).build());
        assertFalse(acting.expired(at(0) + 2 * Scheduler.IDLE_RETENTION_MILLIS));
        Schedule.Builder ended = everyTenSeconds(SKIP);
        ended.getSpecBuilder().setEndTime(com.google.protobuf.util.Timestamps.fromMillis(at(15)));
        Scheduler running = scheduler(ended.build());
        running.advance(at(20));
        carryOut(running, at(20)); // its last workflow still runs
        assertFalse(running.expired(at(20) + Scheduler.IDLE_RETENTION_MILLIS));
        running.closed("job-2026-03-01T00:00:10Z", "r-job-2026-03-01T00:00:10Z",
                WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED, null, null, at(30));
        assertTrue(running.expired(at(20) + Scheduler.IDLE_RETENTION_MILLIS));
        running.pause("keep it", at(40));
        assertFalse(running.expired(at(40) + 2 * Scheduler.IDLE_RETENTION_MILLIS));
        assertTrue(running.nextWake(at(40)).isEmpty());
    }

    @Test
    void anUpdateDropsTimesBeforeIt() {
        Scheduler scheduler = scheduler(everyTenSeconds(ALLOW_ALL).build());
        scheduler.update(everyTenSeconds(ALLOW_ALL).build(), at(35)); // the old spec's times due by then are decided first
        assertEquals(3, carryOut(scheduler, at(35)).size());
        Scheduler stale = new Scheduler(Scheduler.created(everyTenSeconds(ALLOW_ALL).build(), T0), "ns-id", "sched", "run");
        stale.state().updateTimeMillis = at(35);
        stale.advance(at(45));
        assertEquals(List.of("job-2026-03-01T00:00:40Z"), carryOut(stale, at(45)));
        assertEquals(0, stale.state().missedCatchupWindow);
    }

    @Test
    void triggersAndBackfillsActWhilePausedAndBackfillsIncludeTheirStart() {
        Scheduler scheduler = scheduler(everyTenSeconds(ALLOW_ALL).build());
        scheduler.pause("hold", at(1));
        scheduler.trigger(at(2) + 500, ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_UNSPECIFIED, at(3));
        scheduler.backfill(T0 - 30_000, T0 - 10_000, ALLOW_ALL, at(3));
        assertEquals(List.of("job-2026-03-01T00:00:02Z", "job-2026-02-28T23:59:30Z", "job-2026-02-28T23:59:40Z",
                "job-2026-02-28T23:59:50Z"), carryOut(scheduler, at(3)));
        assertTrue(scheduler.state().backfills.isEmpty());
    }

    @Test
    void pauseOnFailurePausesWithTemporalsNoteAndFailuresReachTheNextRun() throws Exception {
        Scheduler scheduler = scheduler(everyTenSeconds(SKIP)
                .setPolicies(SchedulePolicies.newBuilder().setPauseOnFailure(true)).build());
        scheduler.advance(at(10));
        carryOut(scheduler, at(10));
        scheduler.closed("job-2026-03-01T00:00:10Z", "r-job-2026-03-01T00:00:10Z",
                WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_FAILED, null,
                Failure.newBuilder().setMessage("boom").build(), at(11));
        assertTrue(scheduler.schedule().getState().getPaused());
        assertEquals("paused due to workflow failure: job-2026-03-01T00:00:10Z: boom",
                scheduler.schedule().getState().getNotes());
        assertEquals("boom", Failure.parseFrom(scheduler.state().continuedFailure).getMessage());
        assertEquals(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_FAILED_VALUE,
                scheduler.state().recent.get(0).status());
    }

    @Test
    void aRefusedStartIsDroppedAndFreesTheOverlapPolicy() {
        Scheduler scheduler = scheduler(everyTenSeconds(BUFFER_ONE).build());
        scheduler.advance(at(25));
        ScheduleState.Start first = scheduler.state().starting.get(0);
        scheduler.startRefused(first.requestId());
        assertEquals(List.of("job-2026-03-01T00:00:20Z"), carryOut(scheduler, at(25)));
        assertEquals(1, scheduler.state().actionCount);
    }

    @Test
    void aCloseReportedBeforeItsStartWasRecordedStillFreesTheOverlapPolicy() {
        Scheduler scheduler = scheduler(everyTenSeconds(SKIP).build());
        scheduler.advance(at(10));
        ScheduleState.Start start = scheduler.state().starting.get(0);
        // the workflow ran and closed before the actions task recorded its start
        scheduler.closed(start.workflowId(), "r-1", WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED,
                null, null, at(10));
        scheduler.started(start.requestId(), "r-1", at(10));
        assertTrue(scheduler.state().running.isEmpty());
        assertEquals(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED_VALUE,
                scheduler.state().recent.get(0).status());
        scheduler.advance(at(20));
        assertEquals(List.of("job-2026-03-01T00:00:20Z"), carryOut(scheduler, at(20)));
        assertEquals(0, scheduler.state().overlapSkipped);
    }

    /**
     * Exactly once: however the clock is cut into transitions (wakes early, late, in bursts), the decided times
     * are the spec's matching times, each once, and the state survives its storage round trip at every step.
     */
    @Test
    void everyTimeIsDecidedOnceHoweverTimeIsCut() {
        Random random = new Random(15);
        for (int trial = 0; trial < 50; trial++) {
            Scheduler scheduler = scheduler(everyTenSeconds(ALLOW_ALL).build());
            List<String> started = new ArrayList<>();
            long now = T0;
            while (now < at(600)) {
                now += random.nextInt(25_000);
                ScheduleState stored = ScheduleState.decode(scheduler.save().encode());
                scheduler = new Scheduler(stored, "ns-id", "sched", "run");
                scheduler.advance(now);
                started.addAll(carryOut(scheduler, now));
            }
            Scheduler reference = scheduler(everyTenSeconds(ALLOW_ALL).build());
            long end = now;
            List<String> expected = reference.spec().matchingTimes(reference.jitterSeed(), Instant.ofEpochMilli(T0),
                    Instant.ofEpochMilli(end)).stream().map(t -> Scheduler.workflowId("job", t.toEpochMilli()))
                    .collect(Collectors.toList());
            assertEquals(expected, started, "trial " + trial);
        }
    }

    @Test
    void futureActionTimesAreTheMatchingTimesAfterTheLastDecidedOne() {
        Schedule.Builder jittered = everyTenSeconds(ALLOW_ALL);
        jittered.getSpecBuilder().setJitter(Durations.fromSeconds(5));
        Scheduler scheduler = scheduler(jittered.build());
        scheduler.advance(at(33));
        List<Instant> future = scheduler.futureActionTimes(10);
        assertEquals(scheduler.spec().matchingTimes(scheduler.jitterSeed(),
                Instant.ofEpochMilli(scheduler.state().decidedUntilMillis), Instant.ofEpochMilli(at(200))).subList(0, 10),
                future);
        assertFalse(future.get(0).isBefore(Instant.ofEpochMilli(at(33))));
        assertEquals(future.get(0).toEpochMilli(), scheduler.nextWake(at(33)).orElseThrow());
    }
}
