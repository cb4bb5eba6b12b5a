package dev.aeon.dataplane.history.rules;

import io.temporal.api.enums.v1.WorkflowTaskFailedCause;

/**
 * A command in a completed workflow task breaks a rule. Temporal does not fail the RPC for this: it fails the
 * workflow task with the cause, so the worker sees why and tries again.
 */
public final class CommandRejected extends RuntimeException {

    public final WorkflowTaskFailedCause cause;

    public CommandRejected(WorkflowTaskFailedCause cause, String message) {
        super(message);
        this.cause = cause;
    }
}
