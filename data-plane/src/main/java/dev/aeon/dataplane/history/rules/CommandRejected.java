package dev.aeon.dataplane.history.rules;

import io.temporal.api.enums.v1.WorkflowTaskFailedCause;

/**
 * A command in a completed workflow task breaks a rule. Temporal does not fail the RPC for this: it fails the
 * workflow task with the cause, so the worker sees why and tries again.
 */
public final class CommandRejected extends RuntimeException {

    public final WorkflowTaskFailedCause cause;
    /**
     * The run ends terminated after the task failed, as Temporal's history does for a command that no retry can
     * fix (its search attributes past the size limits).
     */
    public final boolean terminatesRun;

    public CommandRejected(WorkflowTaskFailedCause cause, String message) {
        this(cause, message, false);
    }

    private CommandRejected(WorkflowTaskFailedCause cause, String message, boolean terminatesRun) {
        super(message);
        this.cause = cause;
        this.terminatesRun = terminatesRun;
    }

    /** Fails the workflow task, then terminates the run. */
    public static CommandRejected terminating(WorkflowTaskFailedCause cause, String message) {
        return new CommandRejected(cause, message, true);
    }

    /** Temporal's words for the cause, as its Go API prints it: BAD_SEARCH_ATTRIBUTES is "BadSearchAttributes". */
    public String causeName() {
        StringBuilder name = new StringBuilder();
        for (String word : cause.name().substring("WORKFLOW_TASK_FAILED_CAUSE_".length()).split("_")) {
            name.append(word.charAt(0)).append(word.substring(1).toLowerCase(java.util.Locale.ROOT));
        }
        return name.toString();
    }
}
