package dev.aeon.dataplane.visibility.store;

import com.google.protobuf.ByteString;
import dev.aeon.dataplane.visibility.query.CustomSearchAttributes;
import dev.aeon.dataplane.visibility.store.VisibilityStore.Count;
import dev.aeon.dataplane.visibility.store.VisibilityStore.CountRequest;
import dev.aeon.dataplane.visibility.store.VisibilityStore.Group;
import dev.aeon.dataplane.visibility.store.VisibilityStore.ListRequest;
import dev.aeon.dataplane.visibility.store.VisibilityStore.Page;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.common.v1.Memo;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.SearchAttributes;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import static io.temporal.api.enums.v1.WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED;
import static io.temporal.api.enums.v1.WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_CONTINUED_AS_NEW;
import static io.temporal.api.enums.v1.WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_FAILED;
import static io.temporal.api.enums.v1.WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING;
import static io.temporal.api.enums.v1.WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_TERMINATED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What every {@link VisibilityStore} must do, run against a real store by each implementation's subclass. Each test
 * works in fresh namespace ids, so tests share one database without seeing each other's records.
 */
public abstract class VisibilityStoreContract {

    static final Map<String, IndexedValueType> CUSTOM = Map.of(
            "CustomKeywordField", IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
            "CustomTextField", IndexedValueType.INDEXED_VALUE_TYPE_TEXT,
            "CustomIntField", IndexedValueType.INDEXED_VALUE_TYPE_INT,
            "CustomDoubleField", IndexedValueType.INDEXED_VALUE_TYPE_DOUBLE,
            "CustomBoolField", IndexedValueType.INDEXED_VALUE_TYPE_BOOL,
            "CustomDatetimeField", IndexedValueType.INDEXED_VALUE_TYPE_DATETIME,
            "CustomStringField", IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD_LIST);

    static final Instant T0 = Instant.parse("2025-06-01T10:00:00Z");

    protected abstract VisibilityStore store();

    private String ns;

    @BeforeEach
    void freshNamespace() {
        ns = "ns-" + UUID.randomUUID();
    }

    // ---- records -------------------------------------------------------------------------------------------

    @Test
    void aRecordReadsBackAsItWasWritten() {
        VisibilityRecord record = VisibilityRecord.builder().namespaceId(ns).workflowId("wf-1").runId("run-1")
                .workflowType("OrderWorkflow").status(WORKFLOW_EXECUTION_STATUS_COMPLETED)
                .startTime(T0).executionTime(T0.plusSeconds(5)).closeTime(T0.plusSeconds(65))
                .historyLength(12).historySizeBytes(3456).stateTransitionCount(7).taskQueue("orders")
                .parentWorkflowId("parent").parentRunId("parent-run").rootWorkflowId("root").rootRunId("root-run")
                .memo(Memo.newBuilder().putFields("note", json("\"hello\"")).build())
                .searchAttributes(attributes(Map.of("CustomKeywordField", "\"k\"", "CustomIntField", "5")))
                .version(3).build();
        store().upsert(record, CUSTOM);

        assertEquals(List.of(record), list("").records());
        assertEquals(Duration.ofSeconds(60), list("").records().get(0).executionDuration());
    }

    /**
     * Records written before search attribute fields existed hold custom attributes by name, where queries now look
     * for fields: moving them makes them match again, and moving again changes nothing.
     */
    @Test
    void recordsHoldingNamesMoveToTheirFields() {
        store().upsert(record("old", "run-old", T0).searchAttributes(attributes(Map.of("CustomKeywordField",
                "\"k\"", "CustomIntField", "5"))).build(), CUSTOM);
        CustomSearchAttributes byField = new CustomSearchAttributes(
                Map.of("CustomKeywordField", "Keyword01", "CustomIntField", "Int01"),
                Map.of("CustomKeywordField", IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
                        "CustomIntField", IndexedValueType.INDEXED_VALUE_TYPE_INT));
        String query = "CustomKeywordField = 'k' AND CustomIntField = 5";
        assertEquals(0, store().list(new ListRequest(ns, query, byField, 100, null)).records().size());

        store().moveToFields(ns, byField.fields());
        assertEquals(List.of("old"), store().list(new ListRequest(ns, query, byField, 100, null)).records().stream()
                .map(VisibilityRecord::workflowId).toList());
        store().moveToFields(ns, byField.fields());
        assertEquals(1, store().count(new CountRequest(ns, query, byField)).count());
    }

    @Test
    void upsertsReplaceButNeverGoBackToAnOlderState() {
        VisibilityRecord running = record("wf", "run", T0).version(1).build();
        VisibilityRecord closed = running.toBuilder().status(WORKFLOW_EXECUTION_STATUS_COMPLETED)
                .closeTime(T0.plusSeconds(1)).historyLength(9).version(5).build();
        store().upsert(running, CUSTOM);
        store().upsert(closed, CUSTOM);
        store().upsert(running, CUSTOM);  // an outbox retry delivered late
        store().upsert(closed, CUSTOM);   // and an idempotent repeat

        assertEquals(List.of(closed), list("").records());
    }

    /** Many records written together keep the same rule: each the newest of its versions, within one write too. */
    @Test
    void upsertsWrittenTogetherKeepEachRecordsNewestVersion() {
        VisibilityRecord first = record("wf-1", "run-1", T0).version(1).build();
        VisibilityRecord firstClosed = first.toBuilder().status(WORKFLOW_EXECUTION_STATUS_COMPLETED)
                .closeTime(T0.plusSeconds(1)).version(4).build();
        VisibilityRecord second = record("wf-2", "run-2", T0.plusSeconds(2)).version(2).build();
        store().upsertAll(List.of(new VisibilityStore.Upsert(firstClosed, CUSTOM),
                new VisibilityStore.Upsert(first, CUSTOM), new VisibilityStore.Upsert(second, CUSTOM)));

        assertEquals(List.of(second, firstClosed), list("").records());
    }

    @Test
    void deletesOneRecordOrANamespace() {
        String other = "ns-" + UUID.randomUUID();
        store().upsert(record("a", "run-a", T0).build(), CUSTOM);
        store().upsert(record("b", "run-b", T0).build(), CUSTOM);
        store().upsert(record("a", "run-a", T0).namespaceId(other).build(), CUSTOM);

        store().delete(ns, "a", "run-a");
        assertEquals(Set.of("b"), workflowIds(""));

        assertEquals(1, store().deleteNamespace(ns));
        assertEquals(Set.of(), workflowIds(""));
        assertEquals(1, store().count(new CountRequest(other, "", CUSTOM)).count());
    }

    @Test
    void refusesSearchAttributesTheNamespaceDoesNotDefineOrOfTheWrongType() {
        assertInvalid(() -> store().upsert(record("wf", "run", T0)
                .searchAttributes(attributes(Map.of("Unknown", "\"x\""))).build(), CUSTOM));
        assertInvalid(() -> store().upsert(record("wf", "run", T0)
                .searchAttributes(attributes(Map.of("CustomIntField", "\"five\""))).build(), CUSTOM));
        assertInvalid(() -> store().upsert(record("wf", "run", T0)
                .searchAttributes(attributes(Map.of("CustomDatetimeField", "\"yesterday\""))).build(), CUSTOM));
        assertInvalid(() -> store().upsert(record("wf", "run", T0)
                .searchAttributes(attributes(Map.of("WorkflowId", "\"x\""))).build(), CUSTOM));
        assertEquals(0, count(""));
    }

    // ---- order and paging ----------------------------------------------------------------------------------

    @Test
    void listsNewestFirstThenByRunIdAndPagesWithTokens() {
        // Two runs share a start time: RunId breaks the tie, so no page repeats or skips one.
        store().upsert(record("w1", "r1", T0).build(), CUSTOM);
        store().upsert(record("w2", "r2", T0.plusSeconds(1)).build(), CUSTOM);
        store().upsert(record("w3", "r3b", T0.plusSeconds(2)).build(), CUSTOM);
        store().upsert(record("w4", "r3a", T0.plusSeconds(2)).build(), CUSTOM);
        store().upsert(record("w5", "r5", T0.plusSeconds(3)).build(), CUSTOM);

        List<String> runs = new ArrayList<>();
        byte[] token = new byte[0];
        int pages = 0;
        do {
            Page page = store().list(new ListRequest(ns, "", CUSTOM, 2, token));
            page.records().forEach(r -> runs.add(r.runId()));
            token = page.nextPageToken();
            pages++;
        } while (token.length > 0);

        assertEquals(List.of("r5", "r3a", "r3b", "r2", "r1"), runs);
        assertEquals(3, pages);
        Page exact = store().list(new ListRequest(ns, "", CUSTOM, 5, null));
        assertEquals(5, exact.records().size());
        assertEquals(0, exact.nextPageToken().length, "a full last page carries no token");
        assertEquals(5, store().scan(new ListRequest(ns, "", CUSTOM, 0, null)).records().size());
    }

    @Test
    void aPageTokenOnlyWorksForItsNamespaceAndQuery() {
        for (int i = 0; i < 3; i++) {
            store().upsert(record("w" + i, "r" + i, T0.plusSeconds(i)).build(), CUSTOM);
        }
        byte[] token = store().list(new ListRequest(ns, "", CUSTOM, 1, null)).nextPageToken();
        assertTrue(token.length > 0);

        assertInvalid(() -> store().list(new ListRequest("ns-" + UUID.randomUUID(), "", CUSTOM, 1, token)));
        assertInvalid(() -> store().list(new ListRequest(ns, "WorkflowId != 'x'", CUSTOM, 1, token)));
        byte[] edited = token.clone();
        edited[5] ^= 1;
        assertInvalid(() -> store().list(new ListRequest(ns, "", CUSTOM, 1, edited)));
        assertEquals(List.of("r1"), store().list(new ListRequest(ns, "", CUSTOM, 1, token)).records().stream()
                .map(VisibilityRecord::runId).toList());
    }

    // ---- system attributes, every operator -----------------------------------------------------------------

    @Test
    void filtersOnSystemAttributesWithEveryOperator() {
        store().upsert(record("order-1", "run-1", T0).workflowType("Order").taskQueue("q1").historyLength(10)
                .build(), CUSTOM);
        store().upsert(record("order-2", "run-2", T0.plusSeconds(60)).workflowType("Order").taskQueue("q2")
                .historyLength(20).status(WORKFLOW_EXECUTION_STATUS_COMPLETED).closeTime(T0.plusSeconds(90))
                .build(), CUSTOM);
        store().upsert(record("pay_1", "run-3", T0.plusSeconds(120)).workflowType("Payment").taskQueue("q1")
                .historyLength(30).status(WORKFLOW_EXECUTION_STATUS_FAILED).closeTime(T0.plusSeconds(3721))
                .parentWorkflowId("order-1").parentRunId("run-1").build(), CUSTOM);
        store().upsert(record("pay%1", "run-4", T0.plusSeconds(180)).workflowType("Payment").taskQueue("q3")
                .historyLength(40).status(WORKFLOW_EXECUTION_STATUS_CONTINUED_AS_NEW).closeTime(T0.plusSeconds(200))
                .build(), CUSTOM);

        assertMatches("WorkflowId = 'order-1'", "order-1");
        assertMatches("WorkflowId != 'order-1'", "order-2", "pay_1", "pay%1");
        assertMatches("RunId = 'run-2'", "order-2");
        assertMatches("WorkflowType = 'Order'", "order-1", "order-2");
        assertMatches("WorkflowType > 'Order'", "pay_1", "pay%1");
        assertMatches("WorkflowType >= 'Order'", "order-1", "order-2", "pay_1", "pay%1");
        assertMatches("WorkflowType < 'Payment'", "order-1", "order-2");
        assertMatches("WorkflowType <= 'Order'", "order-1", "order-2");
        assertMatches("TaskQueue IN ('q1', 'q3')", "order-1", "pay_1", "pay%1");
        assertMatches("TaskQueue NOT IN ('q1', 'q3')", "order-2");
        assertMatches("WorkflowId BETWEEN 'order-1' AND 'order-2'", "order-1", "order-2");
        assertMatches("WorkflowId NOT BETWEEN 'order-1' AND 'order-2'", "pay_1", "pay%1");
        assertMatches("WorkflowId STARTS_WITH 'order-'", "order-1", "order-2");
        assertMatches("WorkflowId STARTS_WITH 'pay_'", "pay_1");   // '_' is not a wildcard
        assertMatches("WorkflowId STARTS_WITH 'pay%'", "pay%1");   // nor is '%'
        assertMatches("WorkflowId NOT STARTS_WITH 'order'", "pay_1", "pay%1");
        assertMatches("HistoryLength = 20", "order-2");
        assertMatches("HistoryLength > 20", "pay_1", "pay%1");
        assertMatches("HistoryLength >= 20.5", "pay_1", "pay%1");
        assertMatches("HistoryLength BETWEEN 15 AND 35", "order-2", "pay_1");
        assertMatches("ExecutionStatus = 'Running'", "order-1");
        assertMatches("ExecutionStatus = 2", "order-2");
        assertMatches("ExecutionStatus IN ('Failed', 'ContinuedAsNew')", "pay_1", "pay%1");
        assertMatches("ExecutionStatus != 'Running'", "order-2", "pay_1", "pay%1");
        assertMatches("StartTime > '2025-06-01T10:01:00Z'", "pay_1", "pay%1");
        assertMatches("StartTime >= '2025-06-01T12:01:00+02:00'", "order-2", "pay_1", "pay%1");
        // Epoch nanoseconds; stores keep microseconds, as Temporal's SQL stores do.
        assertMatches("StartTime < " + (T0.getEpochSecond() * 1_000_000_000L + 1_000), "order-1");
        assertMatches("StartTime BETWEEN '2025-06-01T10:00:30Z' AND '2025-06-01T10:02:30Z'", "order-2", "pay_1");
        assertMatches("CloseTime IS NULL", "order-1");
        assertMatches("CloseTime IS NOT NULL", "order-2", "pay_1", "pay%1");
        assertMatches("CloseTime < '2025-06-01T10:03:30Z'", "order-2", "pay%1");
        assertMatches("ExecutionDuration > '1h'", "pay_1");
        assertMatches("ExecutionDuration < '00:00:25'", "pay%1");
        assertMatches("ExecutionDuration = 30000000000", "order-2");
        assertMatches("ExecutionDuration IS NULL", "order-1");
        assertMatches("ParentWorkflowId = 'order-1' AND ParentRunId = 'run-1'", "pay_1");
        assertMatches("ParentWorkflowId IS NOT NULL", "pay_1");
        assertMatches("ExecutionTime = '2025-06-01T10:00:00Z'", "order-1");
        assertMatches("HistorySizeBytes = 100 AND StateTransitionCount = 2 AND RootWorkflowId IS NULL",
                "order-1", "order-2", "pay_1", "pay%1");
        // Logic and precedence.
        assertMatches("WorkflowType = 'Order' AND HistoryLength > 10 OR WorkflowId = 'pay_1'", "order-2", "pay_1");
        assertMatches("WorkflowType = 'Order' AND (HistoryLength > 10 OR WorkflowId = 'pay_1')", "order-2");
        assertMatches("NOT (WorkflowType = 'Order')", "pay_1", "pay%1");
        assertMatches("`WorkflowType` = 'Order' && TaskQueue = 'q1'", "order-1");
        assertMatches("WorkflowId = 'a''b' OR WorkflowId = 'order-1'", "order-1");
    }

    // ---- custom attributes of every type -------------------------------------------------------------------

    @Test
    void filtersOnCustomAttributesOfEveryType() {
        store().upsert(record("a", "run-a", T0).searchAttributes(attributes(Map.of(
                "CustomKeywordField", "\"alpha\"",
                "CustomTextField", "\"the quick brown fox\"",
                "CustomIntField", "5",
                "CustomDoubleField", "1.5",
                "CustomBoolField", "true",
                "CustomDatetimeField", "\"2025-01-01T00:00:00Z\"",
                "CustomStringField", "[\"red\", \"green\"]"))).build(), CUSTOM);
        store().upsert(record("b", "run-b", T0.plusSeconds(1)).searchAttributes(attributes(Map.of(
                "CustomKeywordField", "\"beta\"",
                "CustomTextField", "\"lazy dog\"",
                "CustomIntField", "50",
                "CustomDoubleField", "-2.25",
                "CustomBoolField", "false",
                "CustomDatetimeField", "\"2025-03-01T12:00:00.5+01:00\"",
                "CustomStringField", "\"blue\""))).build(), CUSTOM);
        store().upsert(record("c", "run-c", T0.plusSeconds(2)).build(), CUSTOM);

        assertMatches("CustomKeywordField = 'alpha'", "a");
        assertMatches("CustomKeywordField != 'alpha'", "b");
        assertMatches("CustomKeywordField > 'alpha'", "b");
        assertMatches("CustomKeywordField IN ('alpha', 'gamma')", "a");
        assertMatches("CustomKeywordField NOT IN ('alpha')", "b");
        assertMatches("CustomKeywordField STARTS_WITH 'be'", "b");
        assertMatches("CustomKeywordField NOT STARTS_WITH 'be'", "a");
        assertMatches("CustomKeywordField BETWEEN 'a' AND 'b'", "a");
        assertMatches("CustomKeywordField IS NULL", "c");
        assertMatches("CustomKeywordField IS NOT NULL", "a", "b");
        assertMatches("CustomTextField = 'fox'", "a");
        assertMatches("CustomTextField = 'cat dog'", "b");
        assertMatches("CustomTextField = 'QUICK'", "a");
        assertMatches("CustomTextField != 'fox'", "b");
        assertMatches("CustomIntField = 5", "a");
        assertMatches("CustomIntField > 5", "b");
        assertMatches("CustomIntField >= 4.5", "a", "b");
        assertMatches("CustomIntField IN (50, 51)", "b");
        assertMatches("CustomIntField NOT IN (50)", "a");
        assertMatches("CustomIntField BETWEEN 1 AND 10", "a");
        assertMatches("CustomIntField != 5", "b");
        assertMatches("CustomDoubleField < 0", "b");
        assertMatches("CustomDoubleField = 1.5", "a");
        assertMatches("CustomDoubleField BETWEEN -3 AND 0", "b");
        assertMatches("CustomBoolField = true", "a");
        assertMatches("CustomBoolField != true", "b");
        assertMatches("CustomDatetimeField > '2025-02-01T00:00:00Z'", "b");
        assertMatches("CustomDatetimeField = '2025-03-01T11:00:00.5Z'", "b");
        assertMatches("CustomDatetimeField <= 1735689600000000000", "a");
        assertMatches("CustomDatetimeField BETWEEN '2024-12-31T00:00:00Z' AND '2025-01-02T00:00:00Z'", "a");
        assertMatches("CustomStringField = 'red'", "a");
        assertMatches("CustomStringField = 'blue'", "b");
        assertMatches("CustomStringField != 'red'", "b");
        assertMatches("CustomStringField IN ('green', 'blue')", "a", "b");
        assertMatches("CustomStringField NOT IN ('green')", "b");
        assertMatches("CustomStringField IS NULL", "c");
        assertMatches("CustomIntField > 1 AND CustomStringField = 'blue' OR CustomBoolField = true", "a", "b");
    }

    @Test
    void anAttributeSetToNullOrAnEmptyListHasNoValue() {
        store().upsert(record("a", "run-a", T0).searchAttributes(attributes(Map.of(
                "CustomKeywordField", "null", "CustomStringField", "[]", "CustomIntField", "7"))).build(), CUSTOM);

        assertMatches("CustomKeywordField IS NULL AND CustomStringField IS NULL AND CustomIntField = 7", "a");
    }

    @Test
    void filtersOnPredefinedAttributes() {
        store().upsert(record("a", "run-a", T0).searchAttributes(attributes(Map.of(
                "TemporalChangeVersion", "[\"fix-1\", \"fix-2\"]",
                "BuildIds", "[\"unversioned\"]",
                "TemporalScheduledById", "\"sched-1\"",
                "TemporalScheduledStartTime", "\"2025-06-01T10:00:00Z\"",
                "TemporalSchedulePaused", "false"))).build(), CUSTOM);
        store().upsert(record("b", "run-b", T0).build(), CUSTOM);

        assertMatches("TemporalChangeVersion = 'fix-2'", "a");
        assertMatches("ChangeVersion = 'fix-1'", "a");
        assertMatches("BuildIds IN ('unversioned')", "a");
        assertMatches("TemporalScheduledById = 'sched-1'", "a");
        assertMatches("TemporalScheduledStartTime = '2025-06-01T10:00:00Z'", "a");
        assertMatches("TemporalSchedulePaused = false", "a");
        assertMatches("BuildIds IS NULL", "b");
    }

    @Test
    void showsRecordsOfANamespaceDivisionOnlyWhenTheQueryNamesIt() {
        store().upsert(record("plain", "run-1", T0).build(), CUSTOM);
        store().upsert(record("scheduler", "run-2", T0).searchAttributes(attributes(Map.of(
                "TemporalNamespaceDivision", "\"TemporalScheduler\""))).build(), CUSTOM);

        assertMatches("", "plain");
        assertMatches("TemporalNamespaceDivision = 'TemporalScheduler'", "scheduler");
        assertMatches("TemporalNamespaceDivision IS NULL OR TemporalNamespaceDivision IS NOT NULL", "plain",
                "scheduler");
    }

    // ---- counting ------------------------------------------------------------------------------------------

    @Test
    void countsInTotalAndByExecutionStatus() {
        store().upsert(record("a", "r1", T0).build(), CUSTOM);
        store().upsert(record("b", "r2", T0).build(), CUSTOM);
        store().upsert(record("c", "r3", T0).status(WORKFLOW_EXECUTION_STATUS_COMPLETED).closeTime(T0).build(), CUSTOM);
        store().upsert(record("d", "r4", T0).status(WORKFLOW_EXECUTION_STATUS_TERMINATED).closeTime(T0)
                .workflowType("Other").build(), CUSTOM);

        assertEquals(4, count(""));
        assertEquals(2, count("ExecutionStatus = 'Running'"));
        Count grouped = store().count(new CountRequest(ns, "GROUP BY ExecutionStatus", CUSTOM));
        assertEquals(4, grouped.count());
        assertEquals(List.of(new Group(List.of("Running"), 2), new Group(List.of("Completed"), 1),
                new Group(List.of("Terminated"), 1)), grouped.groups());
        Count filtered = store().count(new CountRequest(ns, "WorkflowType = 'Wf' GROUP BY ExecutionStatus", CUSTOM));
        assertEquals(3, filtered.count());
        assertEquals(List.of(new Group(List.of("Running"), 2), new Group(List.of("Completed"), 1)), filtered.groups());
        assertTrue(store().count(new CountRequest(ns, "WorkflowType = 'none' GROUP BY ExecutionStatus", CUSTOM))
                .groups().isEmpty());
    }

    // ---- refusals ------------------------------------------------------------------------------------------

    @Test
    void refusesWhatTemporalsSqlStoresRefuse() {
        assertInvalid(() -> list("WorkflowId = 'a' ORDER BY StartTime"),
                "invalid query: operation is not supported: 'ORDER BY' clause");
        assertInvalid(() -> list("GROUP BY ExecutionStatus"),
                "invalid query: operation is not supported: 'GROUP BY' clause");
        assertInvalid(() -> list("Nope = 1"),
                "invalid query: invalid expression: column name 'Nope' is not a valid search attribute");
        assertInvalid(() -> store().count(new CountRequest(ns, "GROUP BY WorkflowType", CUSTOM)),
                "invalid query: operation is not supported: 'GROUP BY' clause is not supported for search"
                        + " attribute WorkflowType");
    }

    // ---- tenant isolation ----------------------------------------------------------------------------------

    @Test
    void aQueryNeverReachesAnotherNamespacesRecords() {
        String other = "ns-" + UUID.randomUUID();
        store().upsert(record("mine", "run-mine", T0).build(), CUSTOM);
        store().upsert(record("theirs", "run-theirs", T0).namespaceId(other)
                .searchAttributes(attributes(Map.of("CustomKeywordField", "\"secret\""))).build(), CUSTOM);

        for (String query : List.of("", "WorkflowId = 'theirs'", "WorkflowId = 'mine' OR WorkflowId = 'theirs'",
                "WorkflowId = 'x' OR 1 = 1", "RunId != 'x' OR RunId = 'run-theirs'", "CustomKeywordField = 'secret'",
                "NOT (WorkflowId = 'mine')", "WorkflowId = 'x'') OR (''1''=''1", "WorkflowId IS NOT NULL",
                "TemporalNamespaceDivision IS NULL OR TemporalNamespaceDivision IS NOT NULL")) {
            Set<String> seen;
            try {
                seen = workflowIds(query);
            } catch (StatusRuntimeException refused) {
                assertEquals(Status.Code.INVALID_ARGUMENT, refused.getStatus().getCode(), query);
                continue;
            }
            assertTrue(seen.isEmpty() || seen.equals(Set.of("mine")), query + " saw " + seen);
            assertTrue(count(query) <= 1, query);
        }
        assertEquals(Set.of("theirs"), store().list(new ListRequest(other, "", CUSTOM, 10, null)).records().stream()
                .map(VisibilityRecord::workflowId).collect(Collectors.toSet()));
    }

    /**
     * Random queries, well-formed and not: each either answers (only this namespace's records, a count no larger
     * than the namespace's) or is refused with INVALID_ARGUMENT; never another error, never another tenant's row.
     */
    @Test
    void randomQueriesAnswerOrAreRefusedButNeverCrossNamespaces() {
        String other = "ns-" + UUID.randomUUID();
        store().upsert(record("mine", "run-mine", T0).searchAttributes(attributes(Map.of(
                "CustomKeywordField", "\"k\"", "CustomTextField", "\"some text\"", "CustomIntField", "3",
                "CustomStringField", "[\"a\"]"))).build(), CUSTOM);
        for (String namespace : List.of(other, other)) {
            store().upsert(record("theirs", "run-theirs-" + UUID.randomUUID(), T0).namespaceId(namespace)
                    .searchAttributes(attributes(Map.of("CustomKeywordField", "\"k\"", "CustomIntField", "3")))
                    .build(), CUSTOM);
        }
        java.util.Random random = new java.util.Random(14);
        int answered = 0;
        for (int i = 0; i < 400; i++) {
            String query = i % 3 == 0 ? soup(random) : condition(random, 3);
            try {
                Page page = store().list(new ListRequest(ns, query, CUSTOM, 10, null));
                assertTrue(page.records().stream().allMatch(r -> r.namespaceId().equals(ns)), query);
                assertTrue(store().count(new CountRequest(ns, query, CUSTOM)).count() <= 1, query);
                answered++;
            } catch (StatusRuntimeException refused) {
                assertEquals(Status.Code.INVALID_ARGUMENT, refused.getStatus().getCode(),
                        query + ": " + refused.getStatus().getDescription());
            }
        }
        assertTrue(answered > 50, "too few queries were valid to test anything: " + answered);
    }

    private static final List<String> FUZZ_ATTRIBUTES = List.of("WorkflowId", "RunId", "WorkflowType",
            "ExecutionStatus", "StartTime", "CloseTime", "ExecutionTime", "ExecutionDuration", "HistoryLength",
            "HistorySizeBytes", "StateTransitionCount", "TaskQueue", "ParentWorkflowId", "RootRunId",
            "TemporalChangeVersion", "BuildIds", "TemporalSchedulePaused", "TemporalScheduledStartTime",
            "TemporalNamespaceDivision", "CustomKeywordField", "CustomTextField", "CustomIntField",
            "CustomDoubleField", "CustomBoolField", "CustomDatetimeField", "CustomStringField", "`CustomIntField`",
            "Unknown", "namespace_id");
    private static final List<String> FUZZ_VALUES = List.of("'mine'", "'theirs'", "'k'", "'a'", "''", "'%'", "'_'",
            "'it''s'", "'\\'", "'\u0000'", "'é漢'", "'some text'", "' '", "'!!!'", "'a & b | !c'", "0", "3", "-1",
            "1.5", "1e308", "1e400", "99999999999999999999", "9223372036854775807", "true", "false",
            "'Running'", "'Completed'", "2", "99", "'2025-06-01T10:00:00Z'", "'2025-06-01T10:00:00.123+05:30'",
            "'9999-12-31T23:59:59Z'", "'0001-01-01T00:00:00Z'", "'yesterday'", "1748772000000000000",
            "-9223372036854775808", "'1h'", "'00:00:01'", "'-1.5h'", "'1t'", "RunId", "lower('x')");
    private static final List<String> FUZZ_OPERATORS = List.of("=", "!=", "<>", "<", "<=", ">", ">=",
            "STARTS_WITH", "NOT STARTS_WITH", "LIKE", "<=>");
    private static final List<String> FUZZ_TOKENS = List.of("AND", "OR", "NOT", "(", ")", "IN", "BETWEEN", "IS",
            "NULL", "GROUP BY", "ORDER BY", "LIMIT", ",", ";", "`", "'", "\"", "=", "--", "/*", "*/");

    private static String condition(java.util.Random random, int depth) {
        int kind = random.nextInt(depth > 0 ? 8 : 5);
        String attribute = pick(random, FUZZ_ATTRIBUTES);
        return switch (kind) {
            case 0 -> attribute + " " + pick(random, FUZZ_OPERATORS) + " " + pick(random, FUZZ_VALUES);
            case 1 -> attribute + (random.nextBoolean() ? " IN (" : " NOT IN (") + pick(random, FUZZ_VALUES) + ", "
                    + pick(random, FUZZ_VALUES) + ")";
            case 2 -> attribute + (random.nextBoolean() ? " BETWEEN " : " NOT BETWEEN ") + pick(random, FUZZ_VALUES)
                    + " AND " + pick(random, FUZZ_VALUES);
            case 3 -> attribute + (random.nextBoolean() ? " IS NULL" : " IS NOT NULL");
            case 4 -> attribute + " = " + pick(random, FUZZ_VALUES);
            case 5 -> "(" + condition(random, depth - 1) + " OR " + condition(random, depth - 1) + ")";
            case 6 -> condition(random, depth - 1) + " AND " + condition(random, depth - 1);
            default -> "NOT " + condition(random, depth - 1);
        };
    }

    private static String soup(java.util.Random random) {
        StringBuilder query = new StringBuilder();
        for (int i = random.nextInt(8); i >= 0; i--) {
            List<String> pool = List.of(FUZZ_ATTRIBUTES, FUZZ_VALUES, FUZZ_OPERATORS, FUZZ_TOKENS).get(random.nextInt(4));
            query.append(pick(random, pool)).append(' ');
        }
        return query.toString();
    }

    private static String pick(java.util.Random random, List<String> values) {
        return values.get(random.nextInt(values.size()));
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    protected VisibilityRecord.Builder record(String workflowId, String runId, Instant startTime) {
        return VisibilityRecord.builder().namespaceId(ns).workflowId(workflowId).runId(runId).workflowType("Wf")
                .status(WORKFLOW_EXECUTION_STATUS_RUNNING).startTime(startTime).taskQueue("tq")
                .historyLength(1).historySizeBytes(100).stateTransitionCount(2).version(1);
    }

    private Page list(String query) {
        return store().list(new ListRequest(ns, query, CUSTOM, 100, null));
    }

    private long count(String query) {
        return store().count(new CountRequest(ns, query, CUSTOM)).count();
    }

    private Set<String> workflowIds(String query) {
        return list(query).records().stream().map(VisibilityRecord::workflowId).collect(Collectors.toSet());
    }

    private void assertMatches(String query, String... workflowIds) {
        assertEquals(Set.of(workflowIds), workflowIds(query), query);
        assertEquals(workflowIds.length, count(query), "count of " + query);
    }

    static Payload json(String json) {
        return Payload.newBuilder().putMetadata("encoding", ByteString.copyFromUtf8("json/plain"))
                .setData(ByteString.copyFromUtf8(json)).build();
    }

    static SearchAttributes attributes(Map<String, String> json) {
        SearchAttributes.Builder attributes = SearchAttributes.newBuilder();
        json.forEach((name, value) -> attributes.putIndexedFields(name, json(value)));
        return attributes.build();
    }

    private static void assertInvalid(Runnable call) {
        StatusRuntimeException error = assertThrows(StatusRuntimeException.class, call::run);
        assertEquals(Status.Code.INVALID_ARGUMENT, error.getStatus().getCode(), error.getStatus().getDescription());
    }

    private static void assertInvalid(Runnable call, String message) {
        StatusRuntimeException error = assertThrows(StatusRuntimeException.class, call::run);
        assertEquals(Status.Code.INVALID_ARGUMENT, error.getStatus().getCode());
        assertEquals(message, error.getStatus().getDescription());
    }
}
