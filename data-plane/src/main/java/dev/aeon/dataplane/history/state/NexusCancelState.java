package dev.aeon.dataplane.history.state;

/**
 * Where the cancellation of a Nexus operation is, once the workflow asked for it (Temporal's Cancelation machine).
 * A cancel request goes out only to a STARTED operation (it needs the operation's token): asked for earlier, it
 * waits in PENDING until the operation starts.
 *
 * <pre>
 *   PENDING ──operation started──▶ SCHEDULED ──request failed, retryable──▶ BACKING_OFF ──backoff over──▶ SCHEDULED
 *   SCHEDULED ──▶ SUCCEEDED | FAILED
 * </pre>
 */
public enum NexusCancelState {
    PENDING,
    SCHEDULED,
    BACKING_OFF,
    SUCCEEDED,
    FAILED;

    public static final Transitions<NexusCancelState> TRANSITIONS =
            Transitions.of("nexus cancellation", NexusCancelState.class)
                    .allow(PENDING, SCHEDULED)
                    .allow(SCHEDULED, BACKING_OFF, SUCCEEDED, FAILED)
                    .allow(BACKING_OFF, SCHEDULED)
                    .build();
}
