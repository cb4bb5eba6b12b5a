package dev.aeon.dataplane.history.state;

/**
 * A child's parent, and the root of the tree it belongs to (the workflow no parent started), which Temporal
 * records on a child's started event and SDKs show as the root workflow. Rows written before the root was
 * kept have none; their children see the parent's parent's id as the root.
 */
public record ParentRef(String namespaceId, String namespace, String workflowId, String runId,
                        long initiatedEventId, String rootWorkflowId, String rootRunId) {

    /** The reference a child of {@code parent} keeps, the root carried down the tree. */
    public static ParentRef of(ExecutionState parent, String namespace, long initiatedEventId) {
        ParentRef grandparent = parent.parent();
        String rootWorkflowId = grandparent == null ? parent.workflowId()
                : grandparent.rootWorkflowId() != null ? grandparent.rootWorkflowId() : grandparent.workflowId();
        String rootRunId = grandparent == null ? parent.runId()
                : grandparent.rootRunId() != null ? grandparent.rootRunId() : grandparent.runId();
        return new ParentRef(parent.namespaceId(), namespace, parent.workflowId(), parent.runId(), initiatedEventId,
                rootWorkflowId, rootRunId);
    }
}
