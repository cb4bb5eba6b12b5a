package dev.aeon.dataplane.history.run;

import dev.aeon.dataplane.history.engine.StateCodec.CurrentRun;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.enums.v1.WorkflowIdConflictPolicy;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Temporal's id reuse and conflict rules for a start, decided without a database. */
class StartDecisionsTest {

    private static final WorkflowIdReusePolicy DEFAULT_REUSE = WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_UNSPECIFIED;
    private static final WorkflowIdConflictPolicy DEFAULT_CONFLICT =
            WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_UNSPECIFIED;

    private static Optional<CurrentRun> current(WorkflowExecutionStatus status) {
        return Optional.of(new CurrentRun("run-1", status.getNumber(), "request-1"));
    }

    @Test
    void aWorkflowIdWithoutRunsStarts() {
        assertEquals(WorkflowStarts.Decision.START,
                WorkflowStarts.decide("wf", Optional.empty(), "request-2", DEFAULT_REUSE, DEFAULT_CONFLICT));
    }

    @Test
    void theRequestThatStartedTheRunGetsTheSameAnswerAgain() {
        for (WorkflowExecutionStatus status : new WorkflowExecutionStatus[] {
                WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING,
                WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED}) {
            assertEquals(WorkflowStarts.Decision.SAME_REQUEST, WorkflowStarts.decide("wf", current(status), "request-1",
                    WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE, DEFAULT_CONFLICT));
        }
    }

    @Test
    void aRunningRunIsGovernedByTheConflictPolicy() {
        var running = current(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING);
        StatusRuntimeException refused = assertThrows(StatusRuntimeException.class,
                () -> WorkflowStarts.decide("wf", running, "request-2", DEFAULT_REUSE, DEFAULT_CONFLICT));
        assertEquals(Status.Code.ALREADY_EXISTS, refused.getStatus().getCode());
        assertEquals(WorkflowStarts.Decision.USE_EXISTING, WorkflowStarts.decide("wf", running, "request-2",
                DEFAULT_REUSE, WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING));
        assertEquals(WorkflowStarts.Decision.TERMINATE_AND_START, WorkflowStarts.decide("wf", running, "request-2",
                DEFAULT_REUSE, WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_TERMINATE_EXISTING));
        assertEquals(WorkflowStarts.Decision.TERMINATE_AND_START, WorkflowStarts.decide("wf", running, "request-2",
                WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_TERMINATE_IF_RUNNING, DEFAULT_CONFLICT),
                "the deprecated reuse policy means TERMINATE_EXISTING");
    }

    @Test
    void aClosedRunIsGovernedByTheReusePolicy() {
        var completed = current(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED);
        var failed = current(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_FAILED);
        assertEquals(WorkflowStarts.Decision.START,
                WorkflowStarts.decide("wf", completed, "request-2", DEFAULT_REUSE, DEFAULT_CONFLICT));
        assertThrows(StatusRuntimeException.class, () -> WorkflowStarts.decide("wf", completed, "request-2",
                WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE, DEFAULT_CONFLICT));
        WorkflowIdReusePolicy failedOnly = WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE_FAILED_ONLY;
        assertThrows(StatusRuntimeException.class,
                () -> WorkflowStarts.decide("wf", completed, "request-2", failedOnly, DEFAULT_CONFLICT));
        assertEquals(WorkflowStarts.Decision.START,
                WorkflowStarts.decide("wf", failed, "request-2", failedOnly, DEFAULT_CONFLICT));
    }
}
