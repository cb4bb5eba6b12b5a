package dev.aeon.dataplane.history.nexusoperation;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.aeon.dataplane.history.engine.Mutation;
import dev.aeon.dataplane.history.state.NexusCancelState;
import dev.aeon.dataplane.history.state.NexusOperationInfo;
import dev.aeon.dataplane.history.state.NexusOperationState;
import dev.aeon.dataplane.history.state.TimerTask;
import dev.aeon.dataplane.history.workflowtask.WorkflowTasks;
import io.temporal.api.common.v1.Link;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.TimeoutType;
import io.temporal.api.failure.v1.Failure;
import io.temporal.api.failure.v1.NexusOperationFailureInfo;
import io.temporal.api.failure.v1.TimeoutFailureInfo;

import java.util.List;

/**
 * What happens to a pending Nexus operation, recorded in its caller's run: the events Temporal writes for each
 * outcome (components/nexusoperations: executors.go, completion.go) and the operation's move in its state machine.
 * Every outcome the workflow must see asks for a workflow task.
 */
final class NexusOperationOutcomes {

    /** Temporal's retry policy for start and cancel requests: 1 s doubling up to an hour, for as long as it takes. */
    private static final long INITIAL_BACKOFF_MILLIS = 1_000;
    private static final long MAX_BACKOFF_MILLIS = 3_600_000;

    private NexusOperationOutcomes() {
    }

    static long backoffMillis(int attempt) {
        long delay = INITIAL_BACKOFF_MILLIS << Math.min(Math.max(attempt - 1, 0), 22);
        return Math.min(delay, MAX_BACKOFF_MILLIS);
    }

    /** The handler answered asynchronously, or its completion arrived before its answer did. */
    static void started(Mutation m, NexusOperationInfo op, String token, List<Link> links) {
        m.appendOrBuffer(EventType.EVENT_TYPE_NEXUS_OPERATION_STARTED, e -> {
            e.getNexusOperationStartedEventAttributesBuilder().setScheduledEventId(op.scheduledEventId())
                    .setOperationToken(token).setOperationId(token).setRequestId(op.requestId());
            e.addAllLinks(links);
        });
        m.completeTimer(op.scheduleToStartTimer());
        TimerTask.TimerRef startToClose = op.startToCloseMillis() > 0
                ? m.armTimeout(TimerTask.Kind.NEXUS_OPERATION_TIMEOUT, op.scheduledEventId(), 0,
                TimeoutType.TIMEOUT_TYPE_START_TO_CLOSE, m.now + op.startToCloseMillis())
                : null;
        op.started(m.state.runId(), token, m.now, startToClose);
        // A cancellation asked for before the operation had a token can go out now.
        if (op.cancelState() == NexusCancelState.PENDING) {
            op.cancelScheduled(m.state.runId());
            m.addCrossWorkflowTask(dev.aeon.dataplane.matching.DispatchTask.Kind.NEXUS_CANCEL, op.scheduledEventId());
        }
        WorkflowTasks.needed(m);
    }

    static void succeeded(Mutation m, NexusOperationInfo op, Payload result, List<Link> links) {
        m.appendOrBuffer(EventType.EVENT_TYPE_NEXUS_OPERATION_COMPLETED, e -> {
            var completed = e.getNexusOperationCompletedEventAttributesBuilder()
                    .setScheduledEventId(op.scheduledEventId()).setRequestId(op.requestId());
            if (result != null) {
                completed.setResult(result);
            }
            e.addAllLinks(links);
        });
        end(m, op, NexusOperationState.SUCCEEDED);
    }

    /** The operation failed: {@code cause} is why (the handler's failure, the workflow's failure, ...). */
    static void failed(Mutation m, NexusOperationInfo op, Failure cause) {
        m.appendOrBuffer(EventType.EVENT_TYPE_NEXUS_OPERATION_FAILED,
                e -> e.getNexusOperationFailedEventAttributesBuilder().setScheduledEventId(op.scheduledEventId())
                        .setRequestId(op.requestId()).setFailure(wrapped(op, cause)));
        end(m, op, NexusOperationState.FAILED);
    }

    static void canceled(Mutation m, NexusOperationInfo op, Failure cause) {
        Failure canceled = cause.hasCanceledFailureInfo() ? cause : Failure.newBuilder()
                .setMessage(cause.getMessage()).setStackTrace(cause.getStackTrace())
                .setCanceledFailureInfo(io.temporal.api.failure.v1.CanceledFailureInfo.getDefaultInstance())
                .build();
        m.appendOrBuffer(EventType.EVENT_TYPE_NEXUS_OPERATION_CANCELED,
                e -> e.getNexusOperationCanceledEventAttributesBuilder().setScheduledEventId(op.scheduledEventId())
                        .setRequestId(op.requestId()).setFailure(wrapped(op, canceled)));
        end(m, op, NexusOperationState.CANCELED);
    }

    static void timedOut(Mutation m, NexusOperationInfo op, TimeoutType type) {
        Failure cause = Failure.newBuilder().setMessage("operation timed out")
                .setTimeoutFailureInfo(TimeoutFailureInfo.newBuilder().setTimeoutType(type)).build();
        m.appendOrBuffer(EventType.EVENT_TYPE_NEXUS_OPERATION_TIMED_OUT,
                e -> e.getNexusOperationTimedOutEventAttributesBuilder().setScheduledEventId(op.scheduledEventId())
                        .setRequestId(op.requestId()).setFailure(wrapped(op, cause)));
        end(m, op, NexusOperationState.TIMED_OUT);
    }

    /** A start request failed in a way worth retrying: no event, the next attempt after a backoff. */
    static void attemptFailed(Mutation m, NexusOperationInfo op, Failure failure) {
        long next = m.now + backoffMillis(op.attempt());
        TimerTask.TimerRef backoff = m.armTimeout(TimerTask.Kind.NEXUS_OPERATION_BACKOFF, op.scheduledEventId(),
                op.attempt(), TimeoutType.TIMEOUT_TYPE_UNSPECIFIED, next);
        op.attemptFailed(m.state.runId(), failure.toByteArray(), m.now, next, backoff);
    }

    static void cancelRequestCompleted(Mutation m, NexusOperationInfo op) {
        m.appendOrBuffer(EventType.EVENT_TYPE_NEXUS_OPERATION_CANCEL_REQUEST_COMPLETED, e -> {
            e.getNexusOperationCancelRequestCompletedEventAttributesBuilder()
                    .setScheduledEventId(op.scheduledEventId()).setRequestedEventId(op.cancelRequestedEventId());
            e.setWorkerMayIgnore(true); // as Temporal: older SDKs do not know the event
        });
        op.cancelEnded(m.state.runId(), NexusCancelState.SUCCEEDED, null);
        WorkflowTasks.needed(m);
    }

    static void cancelRequestFailed(Mutation m, NexusOperationInfo op, Failure failure) {
        m.appendOrBuffer(EventType.EVENT_TYPE_NEXUS_OPERATION_CANCEL_REQUEST_FAILED, e -> {
            e.getNexusOperationCancelRequestFailedEventAttributesBuilder()
                    .setScheduledEventId(op.scheduledEventId()).setRequestedEventId(op.cancelRequestedEventId())
                    .setFailure(failure);
            e.setWorkerMayIgnore(true);
        });
        op.cancelEnded(m.state.runId(), NexusCancelState.FAILED, failure.toByteArray());
        WorkflowTasks.needed(m);
    }

    static void cancelAttemptFailed(Mutation m, NexusOperationInfo op, Failure failure) {
        TimerTask.TimerRef backoff = m.armTimeout(TimerTask.Kind.NEXUS_CANCEL_BACKOFF, op.scheduledEventId(),
                op.cancelAttempt(), TimeoutType.TIMEOUT_TYPE_UNSPECIFIED, m.now + backoffMillis(op.cancelAttempt()));
        op.cancelAttemptFailed(m.state.runId(), failure.toByteArray(), backoff);
    }

    /** The operation left the run's state: none of its timers may fire any more. */
    private static void end(Mutation m, NexusOperationInfo op, NexusOperationState how) {
        m.completeTimer(op.scheduleToCloseTimer());
        m.completeTimer(op.scheduleToStartTimer());
        m.completeTimer(op.startToCloseTimer());
        m.completeTimer(op.backoffTimer());
        m.completeTimer(op.cancelBackoffTimer());
        m.state.endNexusOperation(op.scheduledEventId(), how);
        WorkflowTasks.needed(m);
    }

    /** Temporal's failure of an unsuccessful operation: what it was, with why as the cause. */
    static Failure wrapped(NexusOperationInfo op, Failure cause) {
        return Failure.newBuilder().setMessage("nexus operation completed unsuccessfully")
                .setNexusOperationExecutionFailureInfo(NexusOperationFailureInfo.newBuilder()
                        .setEndpoint(op.endpointName()).setService(op.service()).setOperation(op.operation())
                        .setOperationToken(op.operationToken()).setOperationId(op.operationToken())
                        .setScheduledEventId(op.scheduledEventId()))
                .setCause(cause).build();
    }

    /** Whether the outcome of the operation scheduled by {@code scheduledEventId} waits among the buffered events. */
    static boolean outcomeBuffered(dev.aeon.dataplane.history.state.ExecutionState state, long scheduledEventId) {
        for (byte[] bytes : state.bufferedEvents()) {
            try {
                var event = io.temporal.api.history.v1.HistoryEvent.parseFrom(bytes);
                long of = switch (event.getEventType()) {
                    case EVENT_TYPE_NEXUS_OPERATION_COMPLETED ->
                            event.getNexusOperationCompletedEventAttributes().getScheduledEventId();
                    case EVENT_TYPE_NEXUS_OPERATION_FAILED ->
                            event.getNexusOperationFailedEventAttributes().getScheduledEventId();
                    case EVENT_TYPE_NEXUS_OPERATION_CANCELED ->
                            event.getNexusOperationCanceledEventAttributes().getScheduledEventId();
                    case EVENT_TYPE_NEXUS_OPERATION_TIMED_OUT ->
                            event.getNexusOperationTimedOutEventAttributes().getScheduledEventId();
                    default -> 0;
                };
                if (of == scheduledEventId) {
                    return true;
                }
            } catch (InvalidProtocolBufferException e) {
                throw new IllegalStateException("a buffered event is corrupt", e);
            }
        }
        return false;
    }

    static Failure failure(byte[] bytes) {
        try {
            return bytes == null ? Failure.getDefaultInstance() : Failure.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("a stored failure is corrupt", e);
        }
    }
}
