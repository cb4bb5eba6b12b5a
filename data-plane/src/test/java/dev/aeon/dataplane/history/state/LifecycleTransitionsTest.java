package dev.aeon.dataplane.history.state;

import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The lifecycle tables, and what an illegal move does: no database, no server. */
class LifecycleTransitionsTest {

    @Test
    void anActivityCompletesOnlyAfterAWorkerStartedIt() {
        ExecutionState run = new ExecutionState();
        run.runId = "run-1";
        ExecutionState.ActivityInfo activity = new ExecutionState.ActivityInfo();
        activity.scheduledEventId = 5;
        activity.activityId = "charge-card";
        run.activities.put(5L, activity);

        Transitions.IllegalTransition refused = assertThrows(Transitions.IllegalTransition.class,
                () -> run.endActivity(5, ActivityState.COMPLETED));
        assertEquals("run run-1: activity charge-card cannot go from SCHEDULED to COMPLETED "
                + "(it may go to [STARTED, CANCELED, TIMED_OUT, DROPPED])", refused.getMessage());
        assertTrue(run.activities.containsKey(5L), "a refused move changes nothing");

        activity.started = true;
        assertEquals(activity, run.endActivity(5, ActivityState.COMPLETED));
        assertTrue(run.activities.isEmpty());
    }

    @Test
    void anActivityBackingOffIsNeitherQueuedNorRunning() {
        ExecutionState.ActivityInfo activity = new ExecutionState.ActivityInfo();
        assertEquals(ActivityState.SCHEDULED, activity.state());
        activity.started = true;
        assertEquals(ActivityState.STARTED, activity.state());
        activity.started = false;
        activity.retryTimer = new TimerTask.TimerRef(7, 1_000);
        assertEquals(ActivityState.BACKING_OFF, activity.state());
        assertThrows(Transitions.IllegalTransition.class, () -> activity.checkMove("run-1", ActivityState.STARTED));
        activity.checkMove("run-1", ActivityState.SCHEDULED);
    }

    @Test
    void aWorkflowTaskIsScheduledOnlyWhenTheRunHasNone() {
        ExecutionState run = new ExecutionState();
        run.runId = "run-2";
        ExecutionState.WorkflowTaskInfo first = new ExecutionState.WorkflowTaskInfo();
        first.scheduledEventId = 2;
        run.scheduleWorkflowTask(first);
        assertThrows(Transitions.IllegalTransition.class,
                () -> run.scheduleWorkflowTask(new ExecutionState.WorkflowTaskInfo()));

        assertThrows(Transitions.IllegalTransition.class, () -> run.endWorkflowTask(WorkflowTaskState.COMPLETED),
                "a task no worker started cannot complete");
        first.startedEventId = 3;
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
        ExecutionState parent = new ExecutionState();
        parent.runId = "parent-run";
        ExecutionState.ChildInfo child = new ExecutionState.ChildInfo();
        child.workflowId = "child";
        parent.children.put(5L, child);
        assertEquals(ChildState.INITIATED, child.state());
        child.checkMove(parent.runId, ChildState.STARTED);
        child.runId = "child-run";
        Transitions.IllegalTransition refused = assertThrows(Transitions.IllegalTransition.class,
                () -> parent.endChild(5, ChildState.START_FAILED));
        assertEquals("run parent-run: child workflow child cannot go from STARTED to START_FAILED (it may go to "
                + "[CLOSED])", refused.getMessage());
        assertEquals(child, parent.endChild(5, ChildState.CLOSED));
        assertThrows(Transitions.IllegalTransition.class, () -> parent.endChild(5, ChildState.CLOSED));
    }

    @Test
    void aTimerEndsOnce() {
        ExecutionState run = new ExecutionState();
        run.runId = "run-3";
        ExecutionState.UserTimerInfo timer = new ExecutionState.UserTimerInfo();
        timer.timerId = "t1";
        run.timers.put("t1", timer);
        assertEquals(timer, run.endTimer("t1", UserTimerState.FIRED));
        assertThrows(Transitions.IllegalTransition.class, () -> run.endTimer("t1", UserTimerState.CANCELED));
        run.timers.put("t1", timer);
        assertThrows(Transitions.IllegalTransition.class, () -> run.endTimer("t1", UserTimerState.STARTED));
    }
}
