package dev.aeon.dataplane.frontend;

import dev.aeon.dataplane.errors.ApiErrors;
import io.temporal.api.common.v1.WorkflowExecution;

import java.util.regex.Pattern;

/**
 * Checks Temporal's frontend makes before it looks anything up, with Temporal's words. Clients and test harnesses
 * rely on the order: a malformed run id is INVALID_ARGUMENT "Invalid RunId." whether or not such a workflow exists
 * (some harnesses probe a server's readiness exactly that way).
 */
final class RequestChecks {

    /** The forms Go's uuid.Validate accepts, which is what Temporal's server checks run ids with. */
    private static final Pattern UUID = Pattern.compile(
            "(?i)(urn:uuid:)?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
                    + "|\\{[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}}|[0-9a-f]{32}");

    private RequestChecks() {
    }

    /** Temporal's validateExecution: the execution is set, names a workflow id, and any run id is a UUID. */
    static void execution(boolean present, WorkflowExecution execution) {
        if (!present) {
            throw ApiErrors.invalidArgument("Execution is not set on request.");
        }
        if (execution.getWorkflowId().isEmpty()) {
            throw ApiErrors.invalidArgument("WorkflowId is not set on request.");
        }
        runId(execution.getRunId());
    }

    /** An optional run id: empty, or a UUID. */
    static void runId(String runId) {
        if (!runId.isEmpty() && !UUID.matcher(runId).matches()) {
            throw ApiErrors.invalidArgument("Invalid RunId.");
        }
    }
}
