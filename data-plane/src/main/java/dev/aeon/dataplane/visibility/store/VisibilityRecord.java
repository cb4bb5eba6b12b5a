package dev.aeon.dataplane.visibility.store;

import io.temporal.api.common.v1.Memo;
import io.temporal.api.common.v1.SearchAttributes;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * What visibility knows of one run: the fields of Temporal's WorkflowExecutionInfo that queries filter on, its memo
 * and its search attributes as the workflow set them (payloads, typed by the namespace's registered attributes).
 *
 * @param closeTime null while the run is open
 * @param version   grows with every state the run goes through (e.g. its state transition count or last event
 *                  id): an upsert older than the stored record is ignored, so outbox retries and reordering
 *                  never bring back a stale state
 */
public record VisibilityRecord(String namespaceId, String workflowId, String runId, String workflowType,
                               WorkflowExecutionStatus status, Instant startTime, Instant executionTime,
                               Instant closeTime, long historyLength, long historySizeBytes,
                               long stateTransitionCount, String taskQueue, String parentWorkflowId,
                               String parentRunId, String rootWorkflowId, String rootRunId, Memo memo,
                               SearchAttributes searchAttributes, long version) {

    public VisibilityRecord {
        Objects.requireNonNull(namespaceId, "namespaceId");
        Objects.requireNonNull(workflowId, "workflowId");
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(workflowType, "workflowType");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(startTime, "startTime");
        Objects.requireNonNull(taskQueue, "taskQueue");
        executionTime = executionTime != null ? executionTime : startTime;
        memo = memo != null ? memo : Memo.getDefaultInstance();
        searchAttributes = searchAttributes != null ? searchAttributes : SearchAttributes.getDefaultInstance();
    }

    /** Temporal's ExecutionDuration: from execution time to close, null while open. */
    /** From execution time to close; zero for a run closed before its first task was due (a delayed start). */
    public Duration executionDuration() {
        if (closeTime == null) {
            return null;
        }
        Duration duration = Duration.between(executionTime, closeTime);
        return duration.isNegative() ? Duration.ZERO : duration;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder().namespaceId(namespaceId).workflowId(workflowId).runId(runId).workflowType(workflowType)
                .status(status).startTime(startTime).executionTime(executionTime).closeTime(closeTime)
                .historyLength(historyLength).historySizeBytes(historySizeBytes)
                .stateTransitionCount(stateTransitionCount).taskQueue(taskQueue).parentWorkflowId(parentWorkflowId)
                .parentRunId(parentRunId).rootWorkflowId(rootWorkflowId).rootRunId(rootRunId).memo(memo)
                .searchAttributes(searchAttributes).version(version);
    }

    public static final class Builder {
        private String namespaceId;
        private String workflowId;
        private String runId;
        private String workflowType;
        private WorkflowExecutionStatus status = WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING;
        private Instant startTime;
        private Instant executionTime;
        private Instant closeTime;
        private long historyLength;
        private long historySizeBytes;
        private long stateTransitionCount;
        private String taskQueue;
        private String parentWorkflowId;
        private String parentRunId;
        private String rootWorkflowId;
        private String rootRunId;
        private Memo memo;
        private SearchAttributes searchAttributes;
        private long version;

        public Builder namespaceId(String value) { namespaceId = value; return this; }
        public Builder workflowId(String value) { workflowId = value; return this; }
        public Builder runId(String value) { runId = value; return this; }
        public Builder workflowType(String value) { workflowType = value; return this; }
        public Builder status(WorkflowExecutionStatus value) { status = value; return this; }
        public Builder startTime(Instant value) { startTime = value; return this; }
        public Builder executionTime(Instant value) { executionTime = value; return this; }
        public Builder closeTime(Instant value) { closeTime = value; return this; }
        public Builder historyLength(long value) { historyLength = value; return this; }
        public Builder historySizeBytes(long value) { historySizeBytes = value; return this; }
        public Builder stateTransitionCount(long value) { stateTransitionCount = value; return this; }
        public Builder taskQueue(String value) { taskQueue = value; return this; }
        public Builder parentWorkflowId(String value) { parentWorkflowId = value; return this; }
        public Builder parentRunId(String value) { parentRunId = value; return this; }
        public Builder rootWorkflowId(String value) { rootWorkflowId = value; return this; }
        public Builder rootRunId(String value) { rootRunId = value; return this; }
        public Builder memo(Memo value) { memo = value; return this; }
        public Builder searchAttributes(SearchAttributes value) { searchAttributes = value; return this; }
        public Builder version(long value) { version = value; return this; }

        public VisibilityRecord build() {
            return new VisibilityRecord(namespaceId, workflowId, runId, workflowType, status, startTime,
                    executionTime, closeTime, historyLength, historySizeBytes, stateTransitionCount, taskQueue,
                    parentWorkflowId, parentRunId, rootWorkflowId, rootRunId, memo, searchAttributes, version);
        }
    }
}
