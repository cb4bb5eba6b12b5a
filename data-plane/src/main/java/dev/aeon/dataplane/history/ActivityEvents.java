package dev.aeon.dataplane.history;

import io.temporal.api.history.v1.HistoryEvent;

import java.util.Map;

/** Fix-ups for activity events whose started event got its id only when buffered events were flushed. */
final class ActivityEvents {

    private ActivityEvents() {
    }

    static void linkStartedEvent(HistoryEvent.Builder event, Map<Long, Long> startedByScheduled) {
        if (event.hasActivityTaskCompletedEventAttributes()
                && event.getActivityTaskCompletedEventAttributes().getStartedEventId() == Mutation.UNASSIGNED) {
            var attributes = event.getActivityTaskCompletedEventAttributesBuilder();
            attributes.setStartedEventId(startedByScheduled.getOrDefault(attributes.getScheduledEventId(), 0L));
        } else if (event.hasActivityTaskFailedEventAttributes()
                && event.getActivityTaskFailedEventAttributes().getStartedEventId() == Mutation.UNASSIGNED) {
            var attributes = event.getActivityTaskFailedEventAttributesBuilder();
            attributes.setStartedEventId(startedByScheduled.getOrDefault(attributes.getScheduledEventId(), 0L));
        } else if (event.hasActivityTaskCanceledEventAttributes()
                && event.getActivityTaskCanceledEventAttributes().getStartedEventId() == Mutation.UNASSIGNED) {
            var attributes = event.getActivityTaskCanceledEventAttributesBuilder();
            attributes.setStartedEventId(startedByScheduled.getOrDefault(attributes.getScheduledEventId(), 0L));
        } else if (event.hasActivityTaskTimedOutEventAttributes()
                && event.getActivityTaskTimedOutEventAttributes().getStartedEventId() == Mutation.UNASSIGNED) {
            var attributes = event.getActivityTaskTimedOutEventAttributesBuilder();
            attributes.setStartedEventId(startedByScheduled.getOrDefault(attributes.getScheduledEventId(), 0L));
        }
    }
}
