package dev.aeon.dataplane.history.state;

/**
 * Where a run's workflow task is. Only SCHEDULED and STARTED are held in mutable state; the other states end the
 * task (it leaves the run's state) and say how.
 *
 * <pre>
 *   (none) ──schedule──▶ SCHEDULED ──poll──▶ STARTED ──▶ COMPLETED | FAILED | TIMED_OUT | DISCARDED
 *                           │                    └──────▶ DROPPED (the run closed)
 *                           └──▶ TIMED_OUT (sticky schedule-to-start) | DROPPED
 * </pre>
 */
public enum WorkflowTaskState {
    /** Waiting for a worker; its transfer task is queued. */
    SCHEDULED,
    /** A worker polled it and is running it. */
    STARTED,
    COMPLETED,
    FAILED,
    TIMED_OUT,
    /** A speculative task whose worker only rejected updates: it leaves no trace in history. */
    DISCARDED,
    /** The run closed while the task existed (terminated, timed out). */
    DROPPED;

    public static final Transitions<WorkflowTaskState> TRANSITIONS = Transitions.of("workflow task", WorkflowTaskState.class)
            .allow(SCHEDULED, STARTED, TIMED_OUT, DROPPED)
            .allow(STARTED, COMPLETED, FAILED, TIMED_OUT, DISCARDED, DROPPED)
            .build();
}
