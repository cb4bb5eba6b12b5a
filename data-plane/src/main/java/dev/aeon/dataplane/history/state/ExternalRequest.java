package dev.aeon.dataplane.history.state;

/** A signal or cancellation this run sent to another workflow, held until that workflow acknowledges it. */
public final class ExternalRequest {
    private boolean cancel;
    private String namespaceId;
    private String namespace;
    private String workflowId;
    private String runId;

    private ExternalRequest() {
    }

    public ExternalRequest(boolean cancel, String namespaceId, String namespace, String workflowId, String runId) {
        this.cancel = cancel;
        this.namespaceId = namespaceId;
        this.namespace = namespace;
        this.workflowId = workflowId;
        this.runId = runId;
    }

    /** A cancellation request; a signal otherwise. */
    public boolean cancel() {
        return cancel;
    }

    public String namespaceId() {
        return namespaceId;
    }

    public String namespace() {
        return namespace;
    }

    public String workflowId() {
        return workflowId;
    }

    /** The target run, empty or null for the workflow's current run. */
    public String runId() {
        return runId;
    }
}
