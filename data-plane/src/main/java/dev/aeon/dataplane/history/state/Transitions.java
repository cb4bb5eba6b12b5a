package dev.aeon.dataplane.history.state;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * A lifecycle's legal moves, as data: which states may follow which. Code that changes a lifecycle's state asks
 * {@link #check} first, so a move the table does not list fails loudly (an internal error naming the run, the
 * subject and both states) instead of leaving a run in a state nobody designed.
 */
public final class Transitions<S extends Enum<S>> {

    private final String lifecycle;
    private final Map<S, Set<S>> next;

    private Transitions(String lifecycle, Map<S, Set<S>> next) {
        this.lifecycle = lifecycle;
        this.next = next;
    }

    public static <S extends Enum<S>> Builder<S> of(String lifecycle, Class<S> states) {
        return new Builder<>(lifecycle, states);
    }

    /** Throws {@link IllegalTransition} unless {@code to} may follow {@code from}. */
    public void check(String runId, Object subject, S from, S to) {
        if (!allows(from, to)) {
            throw new IllegalTransition("run " + runId + ": " + lifecycle + " " + subject + " cannot go from " + from
                    + " to " + to + " (it may go to " + next.get(from) + ")");
        }
    }

    public boolean allows(S from, S to) {
        return next.get(from).contains(to);
    }

    /** The states that may follow {@code from}: the table, for documentation and tests. */
    public Set<S> from(S from) {
        return next.get(from);
    }

    /** A move the lifecycle's table does not allow: a defect in the engine, never the caller's doing. */
    public static final class IllegalTransition extends IllegalStateException {
        IllegalTransition(String message) {
            super(message);
        }
    }

    public static final class Builder<S extends Enum<S>> {
        private final String lifecycle;
        private final Class<S> states;
        private final Map<S, Set<S>> next;

        private Builder(String lifecycle, Class<S> states) {
            this.lifecycle = lifecycle;
            this.states = states;
            this.next = new EnumMap<>(states);
            for (S state : states.getEnumConstants()) {
                next.put(state, EnumSet.noneOf(states));
            }
        }

        @SafeVarargs
        public final Builder<S> allow(S from, S... to) {
            next.get(from).addAll(java.util.List.of(to));
            return this;
        }

        public Transitions<S> build() {
            Map<S, Set<S>> frozen = new EnumMap<>(states);
            next.forEach((from, to) -> frozen.put(from, java.util.Collections.unmodifiableSet(EnumSet.copyOf(to))));
            return new Transitions<>(lifecycle, frozen);
        }
    }
}
