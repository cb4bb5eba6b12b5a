package dev.aeon.dataplane.history.state;

/**
 * Where a Nexus operation the run scheduled is, as Temporal's caller side keeps it
 * (components/nexusoperations/statemachine.go). SCHEDULED, BACKING_OFF and STARTED are held in mutable state; the
 * others end the operation (it leaves the run's state).
 *
 * <pre>
 *   SCHEDULED ──start request failed, retryable──▶ BACKING_OFF ──backoff over──▶ SCHEDULED
 *   SCHEDULED | BACKING_OFF ──async answer (or a completion first)──▶ STARTED
 *   SCHEDULED | BACKING_OFF | STARTED ──▶ SUCCEEDED | FAILED | CANCELED | TIMED_OUT
 *   any held state ──▶ DROPPED (the run closed)
 * </pre>
 */
public enum NexusOperationState {
    /** Its start request is due (a task of the run is sending it). */
    SCHEDULED,
    /** A start request failed in a way worth retrying: the next one waits out a backoff. */
    BACKING_OFF,
    /** The handler answered asynchronously: its completion comes by callback. */
    STARTED,
    SUCCEEDED,
    FAILED,
    CANCELED,
    TIMED_OUT,
    DROPPED;

    public static final Transitions<NexusOperationState> TRANSITIONS =
            Transitions.of("nexus operation", NexusOperationState.class)
                    .allow(SCHEDULED, BACKING_OFF, STARTED, SUCCEEDED, FAILED, CANCELED, TIMED_OUT, DROPPED)
                    .allow(BACKING_OFF, SCHEDULED, STARTED, SUCCEEDED, FAILED, CANCELED, TIMED_OUT, DROPPED)
                    .allow(STARTED, SUCCEEDED, FAILED, CANCELED, TIMED_OUT, DROPPED)
                    .build();

    /** Whether the operation is still the run's (held in its state). */
    public boolean held() {
        return this == SCHEDULED || this == BACKING_OFF || this == STARTED;
    }
}
