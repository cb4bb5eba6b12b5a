package dev.aeon.dataplane.history.state;

/**
 * A signal or cancellation this run sent to another workflow, held until that workflow acknowledges it.
 *
 * @param cancel a cancellation request; a signal otherwise
 * @param runId  the target run, empty or null for the workflow's current run
 */
public record ExternalRequest(boolean cancel, String namespaceId, String namespace, String workflowId, String runId) {
}
