package dev.aeon.dataplane.history.state;

/**
 * Where a child workflow is, seen from its parent. INITIATED and STARTED are held in the parent's state (a closed
 * parent keeps them for its parent close policy); the others end the child there.
 *
 * <pre>
 *   INITIATED ──child's run started──▶ STARTED ──child closed──▶ CLOSED
 *       ├──start refused (id in use, namespace unreachable)──▶ START_FAILED
 *       └──child closed before its start was recorded──▶ CLOSED
 * </pre>
 */
public enum ChildState {
    /** The parent's command is recorded; the cross-workflow task that starts the child has not done so yet. */
    INITIATED,
    STARTED,
    START_FAILED,
    CLOSED;

    public static final Transitions<ChildState> TRANSITIONS = Transitions.of("child workflow", ChildState.class)
            .allow(INITIATED, STARTED, START_FAILED, CLOSED)
            .allow(STARTED, CLOSED)
            .build();
}
