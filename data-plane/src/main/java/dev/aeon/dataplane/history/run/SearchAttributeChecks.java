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

    public static void checkCommand(SearchAttributes attributes, Namespace namespace, WorkflowTaskFailedCause cause) {
        try {
            SearchAttributeValidator.validate(attributes, namespace.name(), namespace.searchAttributeTypes());
        } catch (StatusRuntimeException refused) {
            if (refused.getStatus().getCode() != Status.Code.INVALID_ARGUMENT) {
                throw refused;
            }
            throw new CommandRejected(cause, refused.getStatus().getDescription());
        }
    }
}
