package dev.aeon.dataplane.visibility;

import dev.aeon.dataplane.visibility.query.CustomSearchAttributes;
import com.google.protobuf.ByteString;
import dev.aeon.dataplane.visibility.store.VisibilityRecord;
import dev.aeon.dataplane.visibility.store.VisibilityStore;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.SearchAttributes;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.workflow.v1.WorkflowExecutionInfo;
import io.temporal.api.workflowservice.v1.CountWorkflowExecutionsResponse;
import io.temporal.common.converter.DefaultDataConverter;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class VisibilityResponsesTest {

    private static final Instant START = Instant.parse("2025-01-01T00:00:00Z");

    @Test
    void aRecordBecomesTheExecutionInfoSdksRead() {
        Payload keyword = DefaultDataConverter.STANDARD_INSTANCE.toPayload("blue").orElseThrow();
        VisibilityRecord record = VisibilityRecord.builder().namespaceId("ns-id").workflowId("wf").runId("run")
                .workflowType("T").status(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_FAILED)
                .startTime(START).executionTime(START.plusSeconds(1)).closeTime(START.plusSeconds(91))
                .historyLength(7).historySizeBytes(700).stateTransitionCount(5).taskQueue("q")
                .parentWorkflowId("parent").parentRunId("parent-run").rootWorkflowId("root").rootRunId("root-run")
                .searchAttributes(SearchAttributes.newBuilder().putIndexedFields("Color", keyword)
                        .putIndexedFields("Gone", keyword).build())
                .build();

        WorkflowExecutionInfo info = VisibilityResponses.executionInfo(record,
                CustomSearchAttributes.byName(Map.of("Color", IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD)));

        assertEquals("wf", info.getExecution().getWorkflowId());
        assertEquals("run", info.getExecution().getRunId());
        assertEquals("T", info.getType().getName());
        assertEquals(START.getEpochSecond(), info.getStartTime().getSeconds());
        assertEquals(START.getEpochSecond() + 91, info.getCloseTime().getSeconds());
        assertEquals(90, info.getExecutionDuration().getSeconds());
        assertEquals(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_FAILED, info.getStatus());
        assertEquals(7, info.getHistoryLength());
        assertEquals(700, info.getHistorySizeBytes());
        assertEquals(5, info.getStateTransitionCount());
        assertEquals("q", info.getTaskQueue());
        assertEquals("ns-id", info.getParentNamespaceId());
        assertEquals("parent-run", info.getParentExecution().getRunId());
        assertEquals("root", info.getRootExecution().getWorkflowId());
        assertEquals(ByteString.copyFromUtf8("Keyword"),
                info.getSearchAttributes().getIndexedFieldsOrThrow("Color").getMetadataOrThrow("type"));
        // An attribute no longer registered is returned as stored, without a type.
        assertFalse(info.getSearchAttributes().getIndexedFieldsOrThrow("Gone").containsMetadata("type"));
    }

    @Test
    void anOpenRunHasNoCloseTimeNorDuration() {
        WorkflowExecutionInfo info = VisibilityResponses.executionInfo(VisibilityRecord.builder().namespaceId("n")
                .workflowId("wf").runId("run").workflowType("T").startTime(START).taskQueue("q").build(), CustomSearchAttributes.none());
        assertFalse(info.hasCloseTime());
        assertFalse(info.hasExecutionDuration());
        assertFalse(info.hasParentExecution());
        assertEquals(info.getStartTime(), info.getExecutionTime());
    }

    @Test
    void countGroupsCarryTheStatusAsAKeywordPayload() {
        CountWorkflowExecutionsResponse response = VisibilityResponses.count(new VisibilityStore.Count(3,
                List.of(new VisibilityStore.Group(List.of("Running"), 2),
                        new VisibilityStore.Group(List.of("Completed"), 1))));
        assertEquals(3, response.getCount());
        assertEquals(2, response.getGroups(0).getCount());
        assertEquals("Running", DefaultDataConverter.STANDARD_INSTANCE.fromPayload(
                response.getGroups(0).getGroupValues(0), String.class, String.class));
    }
}
