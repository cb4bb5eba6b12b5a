package dev.aeon.controlplane.namespace;

import dev.aeon.controlplane.namespace.NamespaceLifecycle.Event;
import dev.aeon.controlplane.namespace.NamespaceLifecycle.IllegalTransition;
import dev.aeon.controlplane.namespace.NamespaceLifecycle.State;
import io.temporal.api.cloud.resource.v1.ResourceState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The namespace lifecycle's table, without a database. */
class NamespaceLifecycleTest {

    private static final String NS = "orders.acme";

    @Test
    void theTableIsExactlyTheDocumentedOne() {
        Map<Event, State> idle = Map.of(Event.UPDATE, State.UPDATING, Event.DELETE, State.DELETING);
        assertEquals(Map.of(
                State.NONE, Map.of(Event.CREATE, State.ACTIVATING),
                State.ACTIVATING, Map.of(Event.PROVISIONED, State.ACTIVE, Event.REJECTED, State.ACTIVATION_FAILED),
                State.UPDATING, Map.of(Event.PROVISIONED, State.ACTIVE, Event.REJECTED, State.UPDATE_FAILED),
                State.DELETING, Map.of(Event.PROVISIONED, State.NONE, Event.REJECTED, State.DELETE_FAILED),
                State.ACTIVE, idle,
                State.ACTIVATION_FAILED, idle,
                State.UPDATE_FAILED, idle,
                State.DELETE_FAILED, idle), NamespaceLifecycle.table());
    }

    @Test
    void aCreateThatTheDataPlaneAppliesEndsActiveAndADeleteEndsWithNoNamespace() {
        State created = NamespaceLifecycle.next(NS, State.NONE, Event.CREATE);
        assertEquals(State.ACTIVE, NamespaceLifecycle.next(NS, created, Event.PROVISIONED));
        State deleting = NamespaceLifecycle.next(NS, State.ACTIVE, Event.DELETE);
        assertEquals(State.NONE, NamespaceLifecycle.next(NS, deleting, Event.PROVISIONED));
        assertEquals(null, State.NONE.storedName(), "no namespace: the store removes the row");
    }

    @Test
    void anIllegalTransitionNamesTheNamespaceTheStateAndTheEvent() {
        IllegalTransition e = assertThrows(IllegalTransition.class,
                () -> NamespaceLifecycle.next(NS, State.ACTIVE, Event.PROVISIONED));
        assertEquals("namespace orders.acme: no transition from ACTIVE on PROVISIONED", e.getMessage());
        assertThrows(IllegalTransition.class, () -> NamespaceLifecycle.next(NS, State.UPDATING, Event.DELETE));
        assertThrows(IllegalTransition.class, () -> NamespaceLifecycle.next(NS, State.ACTIVE, Event.CREATE));
        assertThrows(IllegalTransition.class, () -> NamespaceLifecycle.next(NS, State.NONE, Event.UPDATE));
    }

    @ParameterizedTest
    @EnumSource(value = State.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
    void aBusyNamespaceTakesNoClientChangeAndAnIdleOneTakesAll(State state) {
        assertEquals(state, State.stored(state.storedName()), "stored under Temporal's ResourceState name");
        for (Event event : new Event[]{Event.UPDATE, Event.DELETE}) {
            if (state.busy()) {
                assertThrows(IllegalTransition.class, () -> NamespaceLifecycle.next(NS, state, event));
            } else {
                NamespaceLifecycle.next(NS, state, event);
            }
        }
    }

    @Test
    void busyMeansAChangeIsOnItsWayToTheDataPlane() {
        assertTrue(State.ACTIVATING.busy() && State.UPDATING.busy() && State.DELETING.busy());
        assertFalse(State.ACTIVE.busy() || State.UPDATE_FAILED.busy() || State.NONE.busy());
    }

    @Test
    void aStoredNameNoNamespaceStateHasIsAnInternalError() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> State.stored(ResourceState.RESOURCE_STATE_SUSPENDED.name()));
        assertEquals("\"RESOURCE_STATE_SUSPENDED\" is not a namespace state", e.getMessage());
    }
}
