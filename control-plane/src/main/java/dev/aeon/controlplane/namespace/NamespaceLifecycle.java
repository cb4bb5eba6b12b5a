package dev.aeon.controlplane.namespace;

import io.temporal.api.cloud.resource.v1.ResourceState;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * A namespace's lifecycle: its states (Temporal Cloud's {@code ResourceState}s, as the store keeps them) and every
 * move between them, in one table. {@link NamespaceService} decides the moves clients ask for (create, update,
 * delete), {@link NamespaceProvisioningRunner} those the data plane's answer makes; the store only applies them.
 *
 * <pre>
 * NONE              --CREATE-->      ACTIVATING
 * ACTIVATING        --PROVISIONED--> ACTIVE            --REJECTED--> ACTIVATION_FAILED
 * any idle state    --UPDATE-->      UPDATING
 * UPDATING          --PROVISIONED--> ACTIVE            --REJECTED--> UPDATE_FAILED
 * any idle state    --DELETE-->      DELETING
 * DELETING          --PROVISIONED--> NONE (removed)    --REJECTED--> DELETE_FAILED
 * </pre>
 * Tags change in any idle state and leave it as it is: the data plane does not hold them.
 */
public final class NamespaceLifecycle {

    public enum State {
        /** No namespace: before its create, after its delete was provisioned (the row is removed). */
        NONE(null),
        ACTIVATING(ResourceState.RESOURCE_STATE_ACTIVATING),
        ACTIVE(ResourceState.RESOURCE_STATE_ACTIVE),
        UPDATING(ResourceState.RESOURCE_STATE_UPDATING),
        DELETING(ResourceState.RESOURCE_STATE_DELETING),
        ACTIVATION_FAILED(ResourceState.RESOURCE_STATE_ACTIVATION_FAILED),
        UPDATE_FAILED(ResourceState.RESOURCE_STATE_UPDATE_FAILED),
        DELETE_FAILED(ResourceState.RESOURCE_STATE_DELETE_FAILED);

        /** What clients see and the store keeps (its name); null for NONE. */
        public final ResourceState resourceState;

        State(ResourceState resourceState) {
            this.resourceState = resourceState;
        }

        /** Whether a change is on its way to the data plane: the namespace accepts no other until it ends. */
        public boolean busy() {
            return this == ACTIVATING || this == UPDATING || this == DELETING;
        }

        /** The state a row stored; IllegalStateException for a name no namespace state has. */
        public static State stored(String name) {
            for (State state : values()) {
                if (state.resourceState != null && state.resourceState.name().equals(name)) {
                    return state;
                }
            }
            throw new IllegalStateException("\"" + name + "\" is not a namespace state");
        }

        /** The name the store keeps; null for NONE (no row). */
        public String storedName() {
            return resourceState == null ? null : resourceState.name();
        }
    }

    /** What moves a namespace: a client's request, or the data plane's answer to the change it carried. */
    public enum Event {
        CREATE, UPDATE, DELETE,
        /** The data plane applied the change. */
        PROVISIONED,
        /** The data plane refused the change (a 4xx about the request). */
        REJECTED
    }

    /** A move that the table has no row for: a bug in the control plane, never a client's mistake. */
    public static final class IllegalTransition extends IllegalStateException {
        IllegalTransition(String namespace, State from, Event event) {
            super("namespace " + namespace + ": no transition from " + from + " on " + event);
        }
    }

    private static final Map<State, Map<Event, State>> TRANSITIONS = new EnumMap<>(State.class);

    static {
        add(State.NONE, Event.CREATE, State.ACTIVATING);
        add(State.ACTIVATING, Event.PROVISIONED, State.ACTIVE);
        add(State.ACTIVATING, Event.REJECTED, State.ACTIVATION_FAILED);
        add(State.UPDATING, Event.PROVISIONED, State.ACTIVE);
        add(State.UPDATING, Event.REJECTED, State.UPDATE_FAILED);
        add(State.DELETING, Event.PROVISIONED, State.NONE);
        add(State.DELETING, Event.REJECTED, State.DELETE_FAILED);
        // A failed change leaves the namespace usable and changeable: the next update or delete is tried afresh.
        for (State idle : List.of(State.ACTIVE, State.ACTIVATION_FAILED, State.UPDATE_FAILED, State.DELETE_FAILED)) {
            add(idle, Event.UPDATE, State.UPDATING);
            add(idle, Event.DELETE, State.DELETING);
        }
    }

    private NamespaceLifecycle() {
    }

    /** The state {@code event} moves {@code namespace} to from {@code from}; {@link IllegalTransition} if none. */
    public static State next(String namespace, State from, Event event) {
        State to = TRANSITIONS.getOrDefault(from, Map.of()).get(event);
        if (to == null) {
            throw new IllegalTransition(namespace, from, event);
        }
        return to;
    }

    /** Every transition, by state and event (for tests and docs). */
    static Map<State, Map<Event, State>> table() {
        return TRANSITIONS;
    }

    private static void add(State from, Event event, State to) {
        if (TRANSITIONS.computeIfAbsent(from, s -> new EnumMap<>(Event.class)).put(event, to) != null) {
            throw new IllegalStateException(from + " on " + event + " is declared twice");
        }
    }
}
