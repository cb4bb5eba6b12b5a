package dev.aeon.dataplane.schedule;

import com.fasterxml.jackson.databind.node.TextNode;
import com.google.protobuf.ByteString;
import dev.aeon.dataplane.history.engine.Mutation;
import dev.aeon.dataplane.history.state.TimerTask;
import dev.aeon.dataplane.matching.DispatchTask;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.SearchAttributes;
import io.temporal.api.enums.v1.EventType;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * One transition of a schedule: its state is decoded from its scheduler run, changed by the {@link Scheduler},
 * and written back in the same mutation, with what follows from the change: the wake-up timer moved to the next
 * time, a SCHEDULE_ACTIONS task when starts or stops were decided, and {@code TemporalSchedulePaused} upserted
 * (so lists see it) when pausing changed.
 */
final class ScheduleTransitions {

    static final String NAMESPACE_DIVISION = "TemporalScheduler";
    static final String DIVISION_ATTRIBUTE = "TemporalNamespaceDivision";
    static final String PAUSED_ATTRIBUTE = "TemporalSchedulePaused";

    private ScheduleTransitions() {
    }

    /** Applies {@code change} to the schedule of {@code m}'s scheduler run; false if the run is none or closed. */
    static boolean apply(Mutation m, String scheduleId, Consumer<Scheduler> change) {
        if (m.state.schedule() == null || !m.state.isRunning()) {
            return false;
        }
        Scheduler scheduler = new Scheduler(ScheduleState.decode(m.state.schedule()), m.state.namespaceId(), scheduleId,
                m.state.runId());
        boolean pausedBefore = scheduler.schedule().getState().getPaused();
        change.accept(scheduler);
        ScheduleState state = scheduler.save();
        rearm(m, scheduler);
        if ((!state.starting.isEmpty() || !state.stopping.isEmpty()) && state.actionsTaskId == 0) {
            state.actionsTaskId = m.addCrossWorkflowTask(DispatchTask.Kind.SCHEDULE_ACTIONS, 0);
        }
        m.state.replaceSchedule(state.encode());
        boolean paused = scheduler.schedule().getState().getPaused();
        if (paused != pausedBefore) {
            upsertSearchAttributes(m, Map.of(PAUSED_ATTRIBUTE, bool(paused)));
        }
        return true;
    }

    /** The schedule id of a scheduler run's workflow id. */
    static String scheduleId(String schedulerWorkflowId) {
        return schedulerWorkflowId.substring(Scheduler.WORKFLOW_ID_PREFIX.length());
    }

    /** The wake-up timer follows the next time: moved when it changed, dropped when there is none. */
    private static void rearm(Mutation m, Scheduler scheduler) {
        ScheduleState state = scheduler.state();
        Optional<Long> due = scheduler.nextWake(m.now);
        TimerTask.TimerRef armed = state.wakeTimer;
        long dueAt = due.map(at -> Math.max(at, m.now)).orElse(-1L);
        if (armed != null && armed.fireAtMillis() == dueAt) {
            return;
        }
        m.completeTimer(armed);
        state.wakeTimer = due.isPresent() ? m.armRunTimer(TimerTask.Kind.SCHEDULE_WAKE, dueAt) : null;
    }

    /** Writes the attributes into the scheduler run, with the event that makes visibility show them. */
    static void upsertSearchAttributes(Mutation m, Map<String, Payload> upserted) {
        SearchAttributes attributes = SearchAttributes.newBuilder().putAllIndexedFields(upserted).build();
        m.state.keepSearchAttributes(m.state.searchAttributesWith(m.searchAttributes.toFields(attributes)
                .getIndexedFieldsMap()));
        m.append(EventType.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES,
                e -> e.getUpsertWorkflowSearchAttributesEventAttributesBuilder().setSearchAttributes(attributes));
    }

    static Payload keyword(String value) {
        return json(TextNode.valueOf(value).toString(), "Keyword");
    }

    static Payload bool(boolean value) {
        return json(Boolean.toString(value), "Bool");
    }

    static Payload json(String json, String type) {
        return Payload.newBuilder()
                .putMetadata("encoding", ByteString.copyFromUtf8("json/plain"))
                .putMetadata("type", ByteString.copyFromUtf8(type))
                .setData(ByteString.copyFrom(json, StandardCharsets.UTF_8))
                .build();
    }
}
