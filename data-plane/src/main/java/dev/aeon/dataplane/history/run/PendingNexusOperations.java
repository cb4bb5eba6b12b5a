package dev.aeon.dataplane.history.run;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.Durations;
import com.google.protobuf.util.Timestamps;
import dev.aeon.dataplane.history.state.NexusOperationInfo;
import io.temporal.api.enums.v1.NexusOperationCancellationState;
import io.temporal.api.enums.v1.PendingNexusOperationState;
import io.temporal.api.failure.v1.Failure;
import io.temporal.api.workflow.v1.NexusOperationCancellationInfo;
import io.temporal.api.workflow.v1.PendingNexusOperationInfo;

/** A pending Nexus operation as DescribeWorkflowExecution shows it (what {@code temporal workflow describe} lists). */
final class PendingNexusOperations {

    private PendingNexusOperations() {
    }

    static PendingNexusOperationInfo of(NexusOperationInfo operation) {
        PendingNexusOperationInfo.Builder info = PendingNexusOperationInfo.newBuilder()
                .setEndpoint(operation.endpointName()).setService(operation.service())
                .setOperation(operation.operation()).setOperationToken(operation.operationToken())
                .setOperationId(operation.operationToken()).setScheduledEventId(operation.scheduledEventId())
                .setScheduledTime(Timestamps.fromMillis(operation.scheduledTimeMillis()))
                .setAttempt(operation.attempt())
                .setState(switch (operation.state()) {
                    case BACKING_OFF -> PendingNexusOperationState.PENDING_NEXUS_OPERATION_STATE_BACKING_OFF;
                    case STARTED -> PendingNexusOperationState.PENDING_NEXUS_OPERATION_STATE_STARTED;
                    default -> PendingNexusOperationState.PENDING_NEXUS_OPERATION_STATE_SCHEDULED;
                });
        if (operation.scheduleToCloseMillis() > 0) {
            info.setScheduleToCloseTimeout(Durations.fromMillis(operation.scheduleToCloseMillis()));
        }
        if (operation.scheduleToStartMillis() > 0) {
            info.setScheduleToStartTimeout(Durations.fromMillis(operation.scheduleToStartMillis()));
        }
        if (operation.startToCloseMillis() > 0) {
            info.setStartToCloseTimeout(Durations.fromMillis(operation.startToCloseMillis()));
        }
        if (operation.lastAttemptCompleteTimeMillis() > 0) {
            info.setLastAttemptCompleteTime(Timestamps.fromMillis(operation.lastAttemptCompleteTimeMillis()));
        }
        if (operation.lastAttemptFailure() != null) {
            info.setLastAttemptFailure(failure(operation.lastAttemptFailure()));
        }
        if (operation.nextAttemptTimeMillis() > 0) {
            info.setNextAttemptScheduleTime(Timestamps.fromMillis(operation.nextAttemptTimeMillis()));
        }
        if (operation.cancelState() != null) {
            NexusOperationCancellationInfo.Builder cancel = NexusOperationCancellationInfo.newBuilder()
                    .setAttempt(operation.cancelAttempt())
                    .setState(switch (operation.cancelState()) {
                        // Asked for before the operation started: Temporal's cancellation is not scheduled yet.
                        case PENDING -> NexusOperationCancellationState.NEXUS_OPERATION_CANCELLATION_STATE_UNSPECIFIED;
                        case SCHEDULED -> NexusOperationCancellationState.NEXUS_OPERATION_CANCELLATION_STATE_SCHEDULED;
                        case BACKING_OFF -> NexusOperationCancellationState.NEXUS_OPERATION_CANCELLATION_STATE_BACKING_OFF;
                        case SUCCEEDED -> NexusOperationCancellationState.NEXUS_OPERATION_CANCELLATION_STATE_SUCCEEDED;
                        case FAILED -> NexusOperationCancellationState.NEXUS_OPERATION_CANCELLATION_STATE_FAILED;
                    });
            if (operation.cancelLastFailure() != null) {
                cancel.setLastAttemptFailure(failure(operation.cancelLastFailure()));
            }
            info.setCancellationInfo(cancel);
        }
        return info.build();
    }

    private static Failure failure(byte[] bytes) {
        try {
            return Failure.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("a stored failure is corrupt", e);
        }
    }
}
