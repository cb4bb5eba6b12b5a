package dev.aeon.dataplane.history.state;

import java.util.Map;

/**
 * A Nexus completion callback attached to a run when it was started (StartWorkflowExecution's
 * {@code completion_callbacks}, as a Nexus handler starts a workflow-run operation's workflow): where the outcome of
 * the run's chain goes when it closes. Runs after it (continue-as-new, retry, cron) hand it on.
 *
 * @param url    {@code temporal://system}: a caller workflow on this platform, named by the token in the header
 * @param header lower-cased header names
 */
public record NexusCompletionCallback(String url, Map<String, String> header) {

    public NexusCompletionCallback {
        header = header == null ? Map.of() : Map.copyOf(header);
    }
}
