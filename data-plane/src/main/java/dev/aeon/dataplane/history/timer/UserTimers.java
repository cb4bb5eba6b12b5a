package dev.aeon.dataplane.history.timer;

import dev.aeon.dataplane.history.state.UserTimerState;
import com.google.protobuf.util.Durations;
import dev.aeon.dataplane.history.engine.Mutation;
import dev.aeon.dataplane.history.engine.TimerDispatcher;
import dev.aeon.dataplane.history.rules.CommandRejected;
import dev.aeon.dataplane.history.state.UserTimerInfo;
import dev.aeon.dataplane.history.state.TimerTask;
import dev.aeon.dataplane.history.workflowtask.WorkflowTasks;
import io.quarkus.runtime.StartupEvent;
import io.temporal.api.command.v1.StartTimerCommandAttributes;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.WorkflowTaskFailedCause;
import io.temporal.api.history.v1.HistoryEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * The workflow's own timers: StartTimer and CancelTimer commands, and the durable timer that fires them. A fired
 * timer is written (or buffered while a workflow task runs) and the workflow gets a task to see it.
 */
@ApplicationScoped
public class UserTimers {

    public UserTimers(TimerDispatcher timers) {
        timers.handle(TimerTask.Kind.USER_TIMER, (m, timer) -> {
            if (fire(m, timer)) {
                WorkflowTasks.needed(m);
            }
        });
    }

    /** Created before the engine reloads timers, so none fires without its handler. */
    void init(@Observes @Priority(1) StartupEvent event) {
    }

    public static void start(Mutation m, StartTimerCommandAttributes command, long completedEventId) {
        WorkflowTaskFailedCause bad = WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_BAD_START_TIMER_ATTRIBUTES;
        if (command.getTimerId().isEmpty()) {
            throw new CommandRejected(bad, "TimerId is not set on StartTimerCommand");
        }
        if (m.state.timers().containsKey(command.getTimerId())) {
            throw new CommandRejected(WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_START_TIMER_DUPLICATE_ID,
                    "timer id " + command.getTimerId() + " is already in use");
        }
        long fireIn = Durations.toMillis(command.getStartToFireTimeout());
        if (fireIn <= 0) {
            throw new CommandRejected(bad, "StartToFireTimeout must be positive on StartTimerCommand");
        }
        HistoryEvent started = m.append(EventType.EVENT_TYPE_TIMER_STARTED, e -> e.getTimerStartedEventAttributesBuilder()
                .setTimerId(command.getTimerId())
                .setStartToFireTimeout(command.getStartToFireTimeout())
                .setWorkflowTaskCompletedEventId(completedEventId));
        m.state.addTimer(new UserTimerInfo(command.getTimerId(), started.getEventId(),
                m.armUserTimer(command.getTimerId(), started.getEventId(), m.now + fireIn)));
    }

    public static void cancel(Mutation m, String timerId, long completedEventId) {
        UserTimerInfo timer = m.state.timers().get(timerId);
        if (timer == null) {
            throw new CommandRejected(WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_BAD_CANCEL_TIMER_ATTRIBUTES,
                    "no pending timer with id " + timerId);
        }
        m.state.endTimer(timerId, UserTimerState.CANCELED);
        m.completeTimer(timer.timer());
        m.append(EventType.EVENT_TYPE_TIMER_CANCELED, e -> e.getTimerCanceledEventAttributesBuilder()
                .setTimerId(timerId)
                .setStartedEventId(timer.startedEventId())
                .setWorkflowTaskCompletedEventId(completedEventId));
    }

    /** A user timer fired: the workflow sees it in its next workflow task. */
    private static boolean fire(Mutation m, TimerTask fired) {
        UserTimerInfo timer = m.state.timers().get(fired.timerId());
        if (!m.state.isRunning() || timer == null || timer.startedEventId() != fired.subjectId()) {
            return false;
        }
        m.state.endTimer(fired.timerId(), UserTimerState.FIRED);
        m.appendOrBuffer(EventType.EVENT_TYPE_TIMER_FIRED, e -> e.getTimerFiredEventAttributesBuilder()
                .setTimerId(timer.timerId())
                .setStartedEventId(timer.startedEventId()));
        return true;
    }
}
