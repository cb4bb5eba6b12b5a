package dev.aeon.dataplane.history.state;

/** A child workflow this run initiated, held while INITIATED or STARTED. */
public final class ChildInfo {
    private String namespaceId;
    private String namespace;
    private String workflowId;
    private String workflowType;
    /** Set once the child's start is recorded in this run's history. */
    private String runId;
    private long startedEventId;
    /** {@code io.temporal.api.enums.v1.ParentClosePolicy} number. */
    private int parentClosePolicy;

    private ChildInfo() {
    }

    public ChildInfo(String namespaceId, String namespace, String workflowId, String workflowType,
                     int parentClosePolicy) {
        this.namespaceId = namespaceId;
        this.namespace = namespace;
        this.workflowId = workflowId;
        this.workflowType = workflowType;
        this.parentClosePolicy = parentClosePolicy;
    }

    /** The child's run started: INITIATED to STARTED; its started event's id, or UNASSIGNED while buffered. */
    public void recordStarted(String parentRunId, String childRunId, long startedEventId) {
        checkMove(parentRunId, ChildState.STARTED);
        this.runId = childRunId;
        this.startedEventId = startedEventId;
    }

    /** Its buffered started event was written with this id. */
    public void startedAs(long startedEventId) {
        this.startedEventId = startedEventId;
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

    public String workflowType() {
        return workflowType;
    }

    public String runId() {
        return runId;
    }

    public long startedEventId() {
        return startedEventId;
    }

    public int parentClosePolicy() {
        return parentClosePolicy;
    }

    /** INITIATED until the child's run is recorded as started in the parent. */
    public ChildState state() {
        return runId == null ? ChildState.INITIATED : ChildState.STARTED;
    }

    /** Checks that the child may go {@code to} next (the caller then records it). */
    public void checkMove(String parentRunId, ChildState to) {
        ChildState.TRANSITIONS.check(parentRunId, workflowId, state(), to);
    }
}
