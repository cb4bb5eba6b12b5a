package dev.aeon.dataplane.history.state;

import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The lifecycle tables, and what an illegal move does: no database, no server. */
class LifecycleTransitionsTest {

    private static ExecutionState run(String runId) {
        return ExecutionState.builder().namespaceId("ns-1").workflowId("wf-1").runId(runId).build();
    }

    @Test
    void aRunIsBuiltRunningAndClosesOnce() {
        ExecutionState run = run("run-0");
        assertTrue(run.isRunning());
        assertEquals("run-0", run.firstRunId(), "a run without a chain is its own first run");
        run.close(io.temporal.api.enums.v1.WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED_VALUE, 42);
        assertEquals(42, run.closeTimeMillis());
        Transitions.IllegalTransition refused = assertThrows(Transitions.IllegalTransition.class, () -> run.close(
                io.temporal.api.enums.v1.WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_TERMINATED_VALUE, 43));
        assertEquals("run run-0: closed again (status 2 to 5)", refused.getMessage());
        assertThrows(IllegalStateException.class, () -> ExecutionState.builder().workflowId("wf").build(),
                "a run needs its ids");
    }

    @Test
    void aRunsPendingPartsAreReadOnlyOutsideItsMethods() {
        ExecutionState run = run("run-4");
        ActivityInfo activity = ActivityInfo.scheduled(5, "a", new byte[0], 0);
        run.addActivity(activity);
        assertThrows(UnsupportedOperationException.class, () -> run.activities().remove(5L));
        assertThrows(Transitions.IllegalTransition.class, () -> run.addActivity(activity), "scheduled twice");
        assertTrue(run.recordSignalRequest("r1", 2));
        assertTrue(!run.recordSignalRequest("r1", 2), "a retried signal is recognised");
        assertTrue(run.recordSignalRequest("r2", 2));
        assertTrue(run.recordSignalRequest("r3", 2));
        assertTrue(run.recordSignalRequest("r1", 2), "the oldest request id is forgotten beyond the limit");
    }

    @Test
    void anActivityCompletesOnlyAfterAWorkerStartedIt() {
        ExecutionState run = run("run-1");
        ActivityInfo activity = ActivityInfo.scheduled(5, "charge-card", new byte[0], 0);
        run.addActivity(activity);

        Transitions.IllegalTransition refused = assertThrows(Transitions.IllegalTransition.class,
                () -> run.endActivity(5, ActivityState.COMPLETED));
        assertEquals("run run-1: activity charge-card cannot go from SCHEDULED to COMPLETED "
                + "(it may go to [STARTED, CANCELED, TIMED_OUT, DROPPED])", refused.getMessage());
        assertTrue(run.activities().containsKey(5L), "a refused move changes nothing");

        activity.recordStart("run-1", 10, "worker", "request");
        assertEquals(activity, run.endActivity(5, ActivityState.COMPLETED));
        assertTrue(run.activities().isEmpty());
    }

    @Test
    void anActivityBackingOffIsNeitherQueuedNorRunning() {
        ActivityInfo activity = ActivityInfo.scheduled(5, "a", new byte[0], 0);
        assertEquals(ActivityState.SCHEDULED, activity.state());
        assertThrows(Transitions.IllegalTransition.class, () -> activity.backOff("run-1", new byte[0],
                attempt -> new TimerTask.TimerRef(7, 1_000)), "only a started attempt backs off");
        activity.recordStart("run-1", 10, "worker", "request");
        assertEquals(ActivityState.STARTED, activity.state());
        activity.backOff("run-1", new byte[0], attempt -> new TimerTask.TimerRef(7, 1_000 * attempt));
        assertEquals(ActivityState.BACKING_OFF, activity.state());
        assertEquals(2, activity.attempt());
        assertEquals(new TimerTask.TimerRef(7, 2_000), activity.retryTimer(), "armed for the next attempt");
        assertThrows(Transitions.IllegalTransition.class, () -> activity.checkMove("run-1", ActivityState.STARTED));
        activity.retryDue("run-1");
        assertEquals(ActivityState.SCHEDULED, activity.state());
    }

    @Test
    void aWorkflowTaskIsScheduledOnlyWhenTheRunHasNone() {
        ExecutionState run = run("run-2");
        WorkflowTaskInfo first = WorkflowTaskInfo.toSchedule(1, "q", false, false, 0);
        first.scheduledAs(2);
        run.scheduleWorkflowTask(first);
        assertThrows(Transitions.IllegalTransition.class, () -> run.scheduleWorkflowTask(
                WorkflowTaskInfo.toSchedule(1, "q", false, false, 0)));

        assertThrows(Transitions.IllegalTransition.class, () -> run.endWorkflowTask(WorkflowTaskState.COMPLETED),
                "a task no worker started cannot complete");
        first.recordStart("run-2", 5, "request", "worker");
        first.startedAs(3);
        assertThrows(Transitions.IllegalTransition.class, () -> first.recordStart("run-2", 6, "again", "worker"));
        assertEquals(WorkflowTaskState.STARTED, first.state());
        assertEquals(first, run.endWorkflowTask(WorkflowTaskState.COMPLETED));
        assertThrows(Transitions.IllegalTransition.class, () -> run.endWorkflowTask(WorkflowTaskState.FAILED));
    }

    @Test
    void everyHeldStateCanBeDroppedWithItsRunAndEndStatesLeadNowhere() {
        Set<ActivityState> heldActivity = EnumSet.of(ActivityState.SCHEDULED, ActivityState.STARTED,
                ActivityState.BACKING_OFF);
        for (ActivityState state : ActivityState.values()) {
            if (heldActivity.contains(state)) {
                assertTrue(ActivityState.TRANSITIONS.allows(state, ActivityState.DROPPED), state.name());
            } else {
                assertTrue(ActivityState.TRANSITIONS.from(state).isEmpty(), state + " ends the activity");
            }
        }
        Set<WorkflowTaskState> heldTask = EnumSet.of(WorkflowTaskState.SCHEDULED, WorkflowTaskState.STARTED);
        for (WorkflowTaskState state : WorkflowTaskState.values()) {
            if (heldTask.contains(state)) {
                assertTrue(WorkflowTaskState.TRANSITIONS.allows(state, WorkflowTaskState.DROPPED), state.name());
            } else {
                assertTrue(WorkflowTaskState.TRANSITIONS.from(state).isEmpty(), state + " ends the task");
            }
        }
    }

    @Test
    void aChildClosesOnceAndAStartedChildCannotFailToStart() {
        ExecutionState parent = run("parent-run");
        ChildInfo child = new ChildInfo("ns-id", "ns", "child", "ChildWorkflow", 0);
        parent.addChild(5L, child);
        assertEquals(ChildState.INITIATED, child.state());
        child.recordStarted(parent.runId(), "child-run", 6);
        assertThrows(Transitions.IllegalTransition.class, () -> child.recordStarted(parent.runId(), "other-run", 7));
        Transitions.IllegalTransition refused = assertThrows(Transitions.IllegalTransition.class,
                () -> parent.endChild(5, ChildState.START_FAILED));
        assertEquals("run parent-run: child workflow child cannot go from STARTED to START_FAILED (it may go to "
                + "[CLOSED])", refused.getMessage());
        assertEquals(child, parent.endChild(5, ChildState.CLOSED));
        assertThrows(Transitions.IllegalTransition.class, () -> parent.endChild(5, ChildState.CLOSED));
    }

    @Test
    void aTimerEndsOnce() {
        ExecutionState run = run("run-3");
        UserTimerInfo timer = new UserTimerInfo("t1", 4, null);
        run.addTimer(timer);
        assertEquals(timer, run.endTimer("t1", UserTimerState.FIRED));
        assertThrows(Transitions.IllegalTransition.class, () -> run.endTimer("t1", UserTimerState.CANCELED));
        run.addTimer(timer);
        assertThrows(Transitions.IllegalTransition.class, () -> run.endTimer("t1", UserTimerState.STARTED));
    }
}
