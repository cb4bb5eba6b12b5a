package dev.aeon.dataplane.history.state;

/**
 * A timer the workflow started. Only STARTED is held in the run's state; the others end it.
 *
 * <pre>
 *   STARTED ──▶ FIRED | CANCELED (CancelTimer command) | DROPPED (the run closed)
 * </pre>
 */
public enum UserTimerState {
    STARTED,
    FIRED,
    CANCELED,
    DROPPED;

    public static final Transitions<UserTimerState> TRANSITIONS = Transitions.of("timer", UserTimerState.class)
            .allow(STARTED, FIRED, CANCELED, DROPPED)
            .build();
}
