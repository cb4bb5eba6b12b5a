package dev.aeon.dataplane.history.engine;

import dev.aeon.dataplane.history.activity.Activities;
import dev.aeon.dataplane.history.command.Commands;
import dev.aeon.dataplane.history.run.NewRuns;
import dev.aeon.dataplane.history.run.WorkflowLifecycle;
import dev.aeon.dataplane.history.state.TimerTask;
import dev.aeon.dataplane.history.workflowtask.WorkflowTasks;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Acts on a fired timer: one transition of its run that deletes the timer row and applies what the timer means,
 * if its subject is still waiting for it.
 */
@ApplicationScoped
public class TimerDispatcher {

    private final HistoryEngine engine;
    private final WorkflowTasks workflowTasks;
    private final Activities activities;
    private final WorkflowLifecycle lifecycle;

    public TimerDispatcher(HistoryEngine engine, TimerQueue timers, WorkflowTasks workflowTasks, Activities activities,
                           WorkflowLifecycle lifecycle) {
        this.engine = engine;
        this.workflowTasks = workflowTasks;
        this.activities = activities;
        this.lifecycle = lifecycle;
        timers.onFire(this::fire, engine.executor());
    }

    /** Created before the engine reloads timers, so none fires without a dispatcher. */
    void init(@Observes @Priority(1) StartupEvent event) {
    }

    void fire(TimerTask timer) {
        if (timer.kind() == TimerTask.Kind.DELETE_CLOSED_RUN) {
            engine.deleteClosedRun(timer);
            return;
        }
        try {
            engine.update(timer.namespaceId(), timer.workflowId(), timer.runId(), m -> {
                m.completeTimer(timer.ref());
                switch (timer.kind()) {
                    case WORKFLOW_TASK_TIMEOUT -> workflowTasks.onTimer(m, timer);
                    case ACTIVITY_TIMEOUT, ACTIVITY_RETRY -> activities.onTimer(m, timer);
                    case USER_TIMER -> {
                        if (Commands.fireTimer(m, timer) && m.state.workflowTask == null) {
                            WorkflowTasks.schedule(m);
                        }
                    }
                    case WORKFLOW_RUN_TIMEOUT -> lifecycle.onRunTimeout(m, timer);
                    case WORKFLOW_BACKOFF -> NewRuns.onBackoff(m, timer);
                    case DELETE_CLOSED_RUN -> throw new IllegalStateException("handled above");
                }
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
