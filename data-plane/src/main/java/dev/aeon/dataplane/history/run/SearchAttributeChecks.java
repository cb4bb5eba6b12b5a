package dev.aeon.dataplane.history.run;

import dev.aeon.dataplane.history.rules.CommandRejected;
import dev.aeon.dataplane.namespace.Namespace;
import dev.aeon.dataplane.visibility.SearchAttributeValidator;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.common.v1.SearchAttributes;
import io.temporal.api.enums.v1.WorkflowTaskFailedCause;

/**
 * Search attributes a workflow's command sets (an upsert, a child's, the next run's), checked against the
 * namespace they will be indexed in as Temporal's history checks them: a refusal fails the workflow task with the
 * command's cause and Temporal's message, so the worker sees why.
 */
public final class SearchAttributeChecks {

    private SearchAttributeChecks() {
    }

    /**
     * Names, count and types of what the command sets, checked against its namespace.
     *
     * @param indexed what the run (or the new one) will hold once the command applies, whose size Temporal limits:
     *                past it the task fails and the run is terminated, as no retry of the task can fix it
     */
    public static void checkCommand(SearchAttributes attributes, SearchAttributes indexed, Namespace namespace,
                                    WorkflowTaskFailedCause cause) {
        try {
            SearchAttributeValidator.validate(attributes, namespace.name(), namespace.searchAttributeTypes());
        } catch (StatusRuntimeException refused) {
            throw rejected(refused, cause, false);
        }
        try {
            SearchAttributeValidator.validateSize(indexed);
        } catch (StatusRuntimeException refused) {
            throw rejected(refused, cause, true);
        }
    }

    private static RuntimeException rejected(StatusRuntimeException refused, WorkflowTaskFailedCause cause,
                                              boolean terminatesRun) {
        if (refused.getStatus().getCode() != Status.Code.INVALID_ARGUMENT) {
            return refused;
        }
        String message = refused.getStatus().getDescription();
        return terminatesRun ? CommandRejected.terminating(cause, message) : new CommandRejected(cause, message);
    }
}
