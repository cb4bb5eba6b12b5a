package dev.aeon.dataplane.history.engine;

import dev.aeon.dataplane.history.state.TimerTask;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.EnumMap;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Acts on a fired timer: one transition of its run that deletes the timer row and applies what the timer means,
 * if its subject is still waiting for it. What a kind of timer means belongs to its lifecycle, which says so with
 * {@link #handle} when it is created; the engine knows no lifecycle.
 */
@ApplicationScoped
public class TimerDispatcher {

    private final HistoryEngine engine;
    private final Map<TimerTask.Kind, BiConsumer<Mutation, TimerTask>> handlers = new EnumMap<>(TimerTask.Kind.class);

    public TimerDispatcher(HistoryEngine engine, TimerQueue timers) {
        this.engine = engine;
        timers.onFire(this::fire, engine.executor());
    }

    /** {@code handler} applies a fired timer of {@code kind} to its run's mutation. One handler a kind. */
    public synchronized void handle(TimerTask.Kind kind, BiConsumer<Mutation, TimerTask> handler) {
        if (kind == TimerTask.Kind.DELETE_CLOSED_RUN || handlers.putIfAbsent(kind, handler) != null) {
            throw new IllegalStateException("a handler for " + kind + " timers exists already");
        }
    }

    /** The kinds no lifecycle handles: empty once the application started. */
    synchronized java.util.Set<TimerTask.Kind> unhandledKinds() {
        java.util.Set<TimerTask.Kind> missing = java.util.EnumSet.allOf(TimerTask.Kind.class);
        missing.removeAll(handlers.keySet());
        missing.remove(TimerTask.Kind.DELETE_CLOSED_RUN);
        return missing;
    }

    /** After every lifecycle registered (their beans start at priority 1), before the engine reloads timers. */
    void check(@Observes @Priority(100) StartupEvent event) {
        if (!unhandledKinds().isEmpty()) {
            throw new IllegalStateException("no lifecycle handles " + unhandledKinds() + " timers");
        }
    }

    void fire(TimerTask timer) {
        if (timer.kind() == TimerTask.Kind.DELETE_CLOSED_RUN) {
            engine.deleteClosedRun(timer);
            return;
        }
        BiConsumer<Mutation, TimerTask> handler;
        synchronized (this) {
            handler = handlers.get(timer.kind());
        }
        if (handler == null) {
            throw new IllegalStateException("no handler for " + timer.kind() + " timers"); // the queue retries
        }
        try {
            engine.update(timer.namespaceId(), timer.workflowId(), timer.runId(), m -> {
                m.completeTimer(timer.ref());
                handler.accept(m, timer);
                return null;
            });
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() != Status.Code.NOT_FOUND) {
                throw e;
            }
            engine.deleteOrphanTimer(timer); // the run is gone
        }
    }
}
