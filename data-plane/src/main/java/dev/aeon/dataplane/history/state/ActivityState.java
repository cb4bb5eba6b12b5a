package dev.aeon.dataplane.history.state;

/**
 * Where a pending activity is. SCHEDULED, STARTED and BACKING_OFF are held in mutable state; the others end the
 * activity (it leaves the run's state). A cancellation request is not a state of its own: it is a flag on any of
 * the first three, as Temporal keeps it.
 *
 * <pre>
 *   SCHEDULED ──poll──▶ STARTED ──failure or timeout the retry policy allows──▶ BACKING_OFF ──backoff over──▶ SCHEDULED
 *   STARTED ──▶ COMPLETED | FAILED | CANCELED | TIMED_OUT
 *   SCHEDULED ──▶ CANCELED (cancel before a worker took it) | TIMED_OUT (schedule-to-start, schedule-to-close)
 *   BACKING_OFF ──▶ CANCELED | TIMED_OUT (schedule-to-close)
 *   any held state ──▶ DROPPED (the run closed)
 * </pre>
 */
public enum ActivityState {
    /** Queued for a worker of its task queue. */
    SCHEDULED,
    /** A worker picked the current attempt up; its started event is written when it ends. */
    STARTED,
    /** Waiting out the retry policy's backoff before the next attempt is queued. */
    BACKING_OFF,
    COMPLETED,
    FAILED,
    CANCELED,
    TIMED_OUT,
    DROPPED;

    public static final Transitions<ActivityState> TRANSITIONS = Transitions.of("activity", ActivityState.class)
            .allow(SCHEDULED, STARTED, CANCELED, TIMED_OUT, DROPPED)
            .allow(STARTED, BACKING_OFF, COMPLETED, FAILED, CANCELED, TIMED_OUT, DROPPED)
            .allow(BACKING_OFF, SCHEDULED, CANCELED, TIMED_OUT, DROPPED)
            .build();
}
