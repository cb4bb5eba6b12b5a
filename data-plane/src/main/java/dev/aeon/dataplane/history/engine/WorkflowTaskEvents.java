package dev.aeon.dataplane.history.engine;

import com.google.protobuf.util.Durations;
import com.google.protobuf.util.Timestamps;
import dev.aeon.dataplane.history.engine.Mutation;
import dev.aeon.dataplane.history.state.WorkflowTaskInfo;
import dev.aeon.dataplane.history.state.ExecutionState;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.TaskQueueKind;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.history.v1.WorkflowTaskScheduledEventAttributes;
import io.temporal.api.history.v1.WorkflowTaskStartedEventAttributes;
import io.temporal.api.taskqueue.v1.TaskQueue;

/**
 * A workflow task's scheduled and started events. A speculative task (one that only delivers updates) has them
 * built when the worker polls, and written only when something makes the task stay (Mutation).
 */
public final class WorkflowTaskEvents {

    private WorkflowTaskEvents() {
    }

    public static WorkflowTaskScheduledEventAttributes scheduledAttributes(ExecutionState state,
                                                                           WorkflowTaskInfo task) {
        TaskQueue queue = task.sticky()
                ? TaskQueue.newBuilder().setName(task.taskQueue()).setKind(TaskQueueKind.TASK_QUEUE_KIND_STICKY)
                .setNormalName(state.taskQueue()).build()
                : TaskQueue.newBuilder().setName(task.taskQueue()).setKind(TaskQueueKind.TASK_QUEUE_KIND_NORMAL).build();
        return WorkflowTaskScheduledEventAttributes.newBuilder()
                .setTaskQueue(queue)
                .setStartToCloseTimeout(Durations.fromMillis(state.workflowTaskTimeoutMillis()))
                .setAttempt(task.attempt())
                .build();
    }

    /** A speculative task's scheduled event, as the worker sees it and as history gets it if it is kept. */
    public static HistoryEvent scheduledEvent(ExecutionState state, WorkflowTaskInfo task) {
        return HistoryEvent.newBuilder()
                .setEventId(task.scheduledEventId())
                .setEventTime(Timestamps.fromMillis(task.scheduledTimeMillis()))
                .setEventType(EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED)
                .setWorkflowTaskScheduledEventAttributes(scheduledAttributes(state, task))
                .build();
    }

    /** A speculative task's started event. */
    public static HistoryEvent startedEvent(WorkflowTaskInfo task) {
        return HistoryEvent.newBuilder()
                .setEventId(task.startedEventId())
                .setEventTime(Timestamps.fromMillis(task.startedTimeMillis()))
                .setEventType(EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED)
                .setWorkflowTaskStartedEventAttributes(WorkflowTaskStartedEventAttributes.newBuilder()
                        .setScheduledEventId(task.scheduledEventId())
                        .setIdentity(task.startedIdentity())
                        .setRequestId(task.requestId()))
                .build();
    }
}
