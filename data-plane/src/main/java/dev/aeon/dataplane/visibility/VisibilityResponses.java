package dev.aeon.dataplane.visibility;

import dev.aeon.dataplane.visibility.query.CustomSearchAttributes;
import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import dev.aeon.dataplane.visibility.query.QueryValues;
import dev.aeon.dataplane.visibility.query.SearchAttributeCatalog;
import dev.aeon.dataplane.visibility.store.VisibilityRecord;
import dev.aeon.dataplane.visibility.store.VisibilityStore;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.SearchAttributes;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.common.v1.WorkflowType;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.api.workflow.v1.WorkflowExecutionInfo;
import io.temporal.api.workflowservice.v1.CountWorkflowExecutionsResponse;
import io.temporal.api.workflowservice.v1.ListWorkflowExecutionsResponse;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * The store's answers as WorkflowService returns them: the seam for the List/Scan/Count RPCs. Search attribute
 * payloads get their "type" metadata from the namespace's registered types, as Temporal's frontend adds it, so
 * SDKs can decode them.
 */
public final class VisibilityResponses {

    private VisibilityResponses() {
    }

    public static ListWorkflowExecutionsResponse list(VisibilityStore.Page page,
                                                      CustomSearchAttributes customAttributes) {
        ListWorkflowExecutionsResponse.Builder response = ListWorkflowExecutionsResponse.newBuilder()
                .setNextPageToken(ByteString.copyFrom(page.nextPageToken()));
        page.records().forEach(record -> response.addExecutions(executionInfo(record, customAttributes)));
        return response.build();
    }

    public static CountWorkflowExecutionsResponse count(VisibilityStore.Count count) {
        CountWorkflowExecutionsResponse.Builder response = CountWorkflowExecutionsResponse.newBuilder()
                .setCount(count.count());
        for (VisibilityStore.Group group : count.groups()) {
            CountWorkflowExecutionsResponse.AggregationGroup.Builder aggregation =
                    CountWorkflowExecutionsResponse.AggregationGroup.newBuilder().setCount(group.count());
            for (Object value : group.values()) {
                aggregation.addGroupValues(keyword(value == null ? null : value.toString()));
            }
            response.addGroups(aggregation);
        }
        return response.build();
    }

    /** The record's custom attributes are stored by field: the caller sees them under their current names. */
    public static WorkflowExecutionInfo executionInfo(VisibilityRecord record,
                                                      CustomSearchAttributes customAttributes) {
        WorkflowExecutionInfo.Builder info = WorkflowExecutionInfo.newBuilder()
                .setExecution(execution(record.workflowId(), record.runId()))
                .setType(WorkflowType.newBuilder().setName(record.workflowType()))
                .setStartTime(timestamp(record.startTime()))
                .setExecutionTime(timestamp(record.executionTime()))
                .setStatus(record.status())
                .setHistoryLength(record.historyLength())
                .setHistorySizeBytes(record.historySizeBytes())
                .setStateTransitionCount(record.stateTransitionCount())
                .setTaskQueue(record.taskQueue())
                .setMemo(record.memo())
                .setSearchAttributes(customAttributes.toNames(typed(record.searchAttributes(),
                        customAttributes.fieldTypes())));
        if (record.closeTime() != null) {
            info.setCloseTime(timestamp(record.closeTime()));
            Duration duration = record.executionDuration();
            info.setExecutionDuration(com.google.protobuf.Duration.newBuilder().setSeconds(duration.getSeconds())
                    .setNanos(duration.getNano()));
        }
        if (record.parentWorkflowId() != null) {
            // Aeon's children run in their parent's namespace.
            info.setParentNamespaceId(record.namespaceId())
                    .setParentExecution(execution(record.parentWorkflowId(), record.parentRunId()));
        }
        if (record.rootWorkflowId() != null) {
            info.setRootExecution(execution(record.rootWorkflowId(), record.rootRunId()));
        }
        return info.build();
    }

    private static SearchAttributes typed(SearchAttributes attributes, Map<String, IndexedValueType> custom) {
        SearchAttributes.Builder typed = SearchAttributes.newBuilder();
        attributes.getIndexedFieldsMap().forEach((name, payload) -> {
            IndexedValueType type = SearchAttributeCatalog.isMappable(name) ? custom.get(name)
                    : SearchAttributeCatalog.predefined().get(name);
            typed.putIndexedFields(name, type == null ? payload : payload.toBuilder()
                    .putMetadata("type", ByteString.copyFromUtf8(QueryValues.typeName(type))).build());
        });
        return typed.build();
    }

    private static Payload keyword(String value) {
        String json = value == null ? "null" : com.fasterxml.jackson.databind.node.TextNode.valueOf(value).toString();
        return Payload.newBuilder()
                .putMetadata("encoding", ByteString.copyFromUtf8("json/plain"))
                .putMetadata("type", ByteString.copyFromUtf8("Keyword"))
                .setData(ByteString.copyFrom(json, StandardCharsets.UTF_8))
                .build();
    }

    private static WorkflowExecution execution(String workflowId, String runId) {
        WorkflowExecution.Builder execution = WorkflowExecution.newBuilder().setWorkflowId(workflowId);
        if (runId != null) {
            execution.setRunId(runId);
        }
        return execution.build();
    }

    private static Timestamp timestamp(Instant instant) {
        return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
    }
}
