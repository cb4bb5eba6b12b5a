package dev.aeon.dataplane.history.engine;

import io.temporal.api.history.v1.HistoryEvent;

import java.util.Map;

/**
 * Fix-ups for activity and child workflow events whose started event got its id only when buffered events were
 * flushed.
 */
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

    static void linkChildStartedEvent(HistoryEvent.Builder event, Map<Long, Long> startedByInitiated) {
        if (event.hasChildWorkflowExecutionCompletedEventAttributes()) {
            var a = event.getChildWorkflowExecutionCompletedEventAttributesBuilder();
            if (a.getStartedEventId() == Mutation.UNASSIGNED) {
                a.setStartedEventId(startedByInitiated.getOrDefault(a.getInitiatedEventId(), 0L));
            }
        } else if (event.hasChildWorkflowExecutionFailedEventAttributes()) {
            var a = event.getChildWorkflowExecutionFailedEventAttributesBuilder();
            if (a.getStartedEventId() == Mutation.UNASSIGNED) {
                a.setStartedEventId(startedByInitiated.getOrDefault(a.getInitiatedEventId(), 0L));
            }
        } else if (event.hasChildWorkflowExecutionCanceledEventAttributes()) {
            var a = event.getChildWorkflowExecutionCanceledEventAttributesBuilder();
            if (a.getStartedEventId() == Mutation.UNASSIGNED) {
                a.setStartedEventId(startedByInitiated.getOrDefault(a.getInitiatedEventId(), 0L));
            }
        } else if (event.hasChildWorkflowExecutionTimedOutEventAttributes()) {
            var a = event.getChildWorkflowExecutionTimedOutEventAttributesBuilder();
            if (a.getStartedEventId() == Mutation.UNASSIGNED) {
                a.setStartedEventId(startedByInitiated.getOrDefault(a.getInitiatedEventId(), 0L));
            }
        } else if (event.hasChildWorkflowExecutionTerminatedEventAttributes()) {
            var a = event.getChildWorkflowExecutionTerminatedEventAttributesBuilder();
            if (a.getStartedEventId() == Mutation.UNASSIGNED) {
                a.setStartedEventId(startedByInitiated.getOrDefault(a.getInitiatedEventId(), 0L));
            }
        }
    }
}
