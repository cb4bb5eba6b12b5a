package dev.aeon.dataplane.history.state;

/**
 * Who is told when a workflow's chain of runs closes: the schedule that started it (its scheduler run's workflow
 * id), so that its overlap policy and buffered starts follow the workflow without polling it. Temporal attaches
 * completion callbacks to the workflows a schedule starts for the same reason. The chain's last run tells; runs
 * before it (continue-as-new, retry, cron) hand the callback on.
 */
public record CloseCallback(String namespaceId, String workflowId) {
}
