package dev.aeon.dataplane.visibility.query;

import dev.aeon.dataplane.visibility.query.VisibilityQuery.Condition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.enums.v1.IndexedValueType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static io.temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_BOOL;
import static io.temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_DATETIME;
import static io.temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_DOUBLE;
import static io.temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_INT;
import static io.temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD;
import static io.temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD_LIST;
import static io.temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_TEXT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The query language as Temporal's query.QueryConverter accepts, types and refuses it (its converter_test.go is the
 * source of the expected messages). Each accepted query is shown as the resolved condition in a compact notation:
 * attribute names as resolved, values with their Java types.
 */
class QueryConverterTest {

    /** The custom attributes of `temporal server start-dev`, one of each type. */
    static final Map<String, IndexedValueType> CUSTOM = Map.of(
            "CustomKeywordField", INDEXED_VALUE_TYPE_KEYWORD,
            "CustomTextField", INDEXED_VALUE_TYPE_TEXT,
            "CustomIntField", INDEXED_VALUE_TYPE_INT,
            "CustomDoubleField", INDEXED_VALUE_TYPE_DOUBLE,
            "CustomBoolField", INDEXED_VALUE_TYPE_BOOL,
            "CustomDatetimeField", INDEXED_VALUE_TYPE_DATETIME,
            "CustomStringField", INDEXED_VALUE_TYPE_KEYWORD_LIST);

    static Stream<Arguments> accepted() {
        return Stream.of(
                Arguments.of("", "<none>"),
                Arguments.of("   ", "<none>"),
                Arguments.of("WorkflowId = 'wf-1'", "WorkflowId = [wf-1:String]"),
                Arguments.of("WorkflowId = \"wf-1\"", "WorkflowId = [wf-1:String]"),
                Arguments.of("`WorkflowId` = 'a''b'", "WorkflowId = [a'b:String]"),
                Arguments.of("WorkflowId = 'a\\'b\\\\c'", "WorkflowId = [a'b\\c:String]"),
                Arguments.of("workflowid = 'x'", "ERROR"),
                Arguments.of("WorkflowId != 'x'", "WorkflowId != [x:String]"),
                Arguments.of("WorkflowId <> 'x'", "WorkflowId != [x:String]"),
                Arguments.of("WorkflowType > 'a' and WorkflowType <= 'b'",
                        "(WorkflowType > [a:String] AND WorkflowType <= [b:String])"),
                Arguments.of("WorkflowId IN ('a', 'b')", "WorkflowId in [a:String, b:String]"),
                Arguments.of("WorkflowId NOT IN ('a')", "WorkflowId not in [a:String]"),
                Arguments.of("WorkflowId STARTS_WITH 'order-'", "WorkflowId starts_with [order-:String]"),
                Arguments.of("WorkflowId NOT STARTS_WITH 'order-'", "WorkflowId not starts_with [order-:String]"),
                Arguments.of("WorkflowId BETWEEN 'a' AND 'c'", "WorkflowId BETWEEN a:String AND c:String"),
                Arguments.of("WorkflowId NOT BETWEEN 'a' AND 'c'", "WorkflowId NOT BETWEEN a:String AND c:String"),
                Arguments.of("ParentWorkflowId IS NULL", "ParentWorkflowId IS NULL"),
                Arguments.of("CloseTime is not null", "CloseTime IS NOT NULL"),
                Arguments.of("a_or_b", "ERROR"),
                Arguments.of("WorkflowId = 'a' OR WorkflowId = 'b' AND RunId = 'c'",
                        "(WorkflowId = [a:String] OR (WorkflowId = [b:String] AND RunId = [c:String]))"),
                Arguments.of("(WorkflowId = 'a' OR WorkflowId = 'b') AND RunId = 'c'",
                        "((WorkflowId = [a:String] OR WorkflowId = [b:String]) AND RunId = [c:String])"),
                Arguments.of("NOT WorkflowId = 'a'", "NOT (WorkflowId = [a:String])"),
                Arguments.of("HistoryLength BETWEEN 1 AND 5 AND WorkflowId = 'x'",
                        "(HistoryLength BETWEEN 1:Long AND 5:Long AND WorkflowId = [x:String])"),
                // ExecutionStatus: by name, by full enum name, or by number.
                Arguments.of("ExecutionStatus = 'Running'",
                        "ExecutionStatus = [WORKFLOW_EXECUTION_STATUS_RUNNING:WorkflowExecutionStatus]"),
                Arguments.of("ExecutionStatus = 'ContinuedAsNew'",
                        "ExecutionStatus = [WORKFLOW_EXECUTION_STATUS_CONTINUED_AS_NEW:WorkflowExecutionStatus]"),
                Arguments.of("ExecutionStatus = 'WORKFLOW_EXECUTION_STATUS_TIMED_OUT'",
                        "ExecutionStatus = [WORKFLOW_EXECUTION_STATUS_TIMED_OUT:WorkflowExecutionStatus]"),
                Arguments.of("ExecutionStatus = 2",
                        "ExecutionStatus = [WORKFLOW_EXECUTION_STATUS_COMPLETED:WorkflowExecutionStatus]"),
                Arguments.of("ExecutionStatus IN ('Failed', 'Terminated')",
                        "ExecutionStatus in [WORKFLOW_EXECUTION_STATUS_FAILED:WorkflowExecutionStatus,"
                                + " WORKFLOW_EXECUTION_STATUS_TERMINATED:WorkflowExecutionStatus]"),
                // Datetimes: RFC 3339 with any offset, or epoch nanoseconds; all in UTC.
                Arguments.of("StartTime > '2025-01-01T12:34:56Z'", "StartTime > [2025-01-01T12:34:56Z:Instant]"),
                Arguments.of("StartTime > '2025-01-01T12:34:56.123456789+02:00'",
                        "StartTime > [2025-01-01T10:34:56.123456789Z:Instant]"),
                Arguments.of("CloseTime < 1735734896000000000", "CloseTime < [2025-01-01T12:34:56Z:Instant]"),
                Arguments.of("ExecutionTime BETWEEN '2025-01-01T00:00:00Z' AND '2025-01-02T00:00:00Z'",
                        "ExecutionTime BETWEEN 2025-01-01T00:00:00Z:Instant AND 2025-01-02T00:00:00Z:Instant"),
                // ExecutionDuration: nanoseconds, a Go duration (with days) or hh:mm:ss.
                Arguments.of("ExecutionDuration > 1000", "ExecutionDuration > [1000:Long]"),
                Arguments.of("ExecutionDuration > '1000'", "ExecutionDuration > [1000:Long]"),
                Arguments.of("ExecutionDuration > '123m'", "ExecutionDuration > [7380000000000:Long]"),
                Arguments.of("ExecutionDuration < '1h30m1.5s'", "ExecutionDuration < [5401500000000:Long]"),
                Arguments.of("ExecutionDuration < '2d'", "ExecutionDuration < [172800000000000:Long]"),
                Arguments.of("ExecutionDuration >= '01:02:03'", "ExecutionDuration >= [3723000000000:Long]"),
                Arguments.of("ExecutionDuration >= '300ms'", "ExecutionDuration >= [300000000:Long]"),
                Arguments.of("HistoryLength >= 10", "HistoryLength >= [10:Long]"),
                Arguments.of("HistorySizeBytes < 1.5e3", "HistorySizeBytes < [1500.0:Double]"),
                Arguments.of("StateTransitionCount > -1", "StateTransitionCount > [-1:Long]"),
                Arguments.of("TaskQueue = 'q' AND RootWorkflowId = 'r' AND RootRunId = 's' AND ParentRunId = 't'",
                        "(((TaskQueue = [q:String] AND RootWorkflowId = [r:String]) AND RootRunId = [s:String])"
                                + " AND ParentRunId = [t:String])"),
                // Predefined attributes, with and without their Temporal prefix; ScheduleId means WorkflowId.
                Arguments.of("TemporalChangeVersion = 'v1-1'", "TemporalChangeVersion = [v1-1:String]"),
                Arguments.of("ChangeVersion = 'v1-1'", "TemporalChangeVersion = [v1-1:String]"),
                Arguments.of("BuildIds IN ('unversioned', 'assigned:b1')",
                        "BuildIds in [unversioned:String, assigned:b1:String]"),
                Arguments.of("TemporalScheduledById = 'sched'", "TemporalScheduledById = [sched:String]"),
                Arguments.of("ScheduledById = 'sched'", "TemporalScheduledById = [sched:String]"),
                Arguments.of("TemporalScheduledStartTime < '2025-01-01T00:00:00Z'",
                        "TemporalScheduledStartTime < [2025-01-01T00:00:00Z:Instant]"),
                Arguments.of("TemporalSchedulePaused = false", "TemporalSchedulePaused = [false:Boolean]"),
                Arguments.of("TemporalPauseInfo = 'activity:a'", "TemporalPauseInfo = [activity:a:String]"),
                Arguments.of("ScheduleId = 's1'", "WorkflowId = [s1:String]"),
                Arguments.of("TemporalScheduleId = 's1'", "WorkflowId = [s1:String]"),
                Arguments.of("TemporalWorkflowId = 'w'", "WorkflowId = [w:String]"),
                // Custom attributes of every type.
                Arguments.of("CustomKeywordField = 'k'", "CustomKeywordField = [k:String]"),
                Arguments.of("CustomKeywordField STARTS_WITH 'k%_'", "CustomKeywordField starts_with [k%_:String]"),
                Arguments.of("CustomKeywordField < 'm'", "CustomKeywordField < [m:String]"),
                Arguments.of("CustomTextField = 'quick fox'", "CustomTextField = [quick fox:String]"),
                Arguments.of("CustomTextField != 'fox'", "CustomTextField != [fox:String]"),
                Arguments.of("CustomIntField > 5", "CustomIntField > [5:Long]"),
                Arguments.of("CustomIntField > 5.5", "CustomIntField > [5.5:Double]"),
                Arguments.of("CustomIntField IN (1, 2)", "CustomIntField in [1:Long, 2:Long]"),
                Arguments.of("CustomDoubleField <= 3", "CustomDoubleField <= [3:Long]"),
                Arguments.of("CustomDoubleField BETWEEN 0.5 AND 1", "CustomDoubleField BETWEEN 0.5:Double AND 1:Long"),
                Arguments.of("CustomBoolField = true", "CustomBoolField = [true:Boolean]"),
                Arguments.of("CustomBoolField != FALSE", "CustomBoolField != [false:Boolean]"),
                Arguments.of("CustomDatetimeField >= '2024-02-29T23:59:59Z'",
                        "CustomDatetimeField >= [2024-02-29T23:59:59Z:Instant]"),
                Arguments.of("CustomStringField = 'a'", "CustomStringField = [a:String]"),
                Arguments.of("CustomStringField NOT IN ('a', 'b')", "CustomStringField not in [a:String, b:String]"),
                Arguments.of("`CustomKeywordField` = 'k'", "CustomKeywordField = [k:String]"),
                Arguments.of("CustomKeywordField IS NOT NULL", "CustomKeywordField IS NOT NULL"),
                // GROUP BY and ORDER BY parse on their own, or after a condition.
                Arguments.of("GROUP BY ExecutionStatus", "<none> GROUP BY ExecutionStatus"),
                Arguments.of("WorkflowType = 't' group by ExecutionStatus",
                        "WorkflowType = [t:String] GROUP BY ExecutionStatus"),
                Arguments.of("GROUP BY TemporalNamespaceDivision", "<none> GROUP BY TemporalNamespaceDivision"),
                Arguments.of("order by StartTime desc", "<none> ORDER BY StartTime DESC"),
                Arguments.of("WorkflowId = 'a' ORDER BY CustomIntField, CloseTime ASC",
                        "WorkflowId = [a:String] ORDER BY CustomIntField, CloseTime"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("accepted")
    void resolvesAndTypes(String query, String expected) {
        if (expected.equals("ERROR")) {
            assertThrows(StatusRuntimeException.class, () -> QueryConverter.convert(query, CUSTOM));
            return;
        }
        assertEquals(expected, render(QueryConverter.convert(query, CUSTOM)));
    }

    static Stream<Arguments> refused() {
        return Stream.of(
                // Syntax, worded as vitess' parser (positions and tokens as Temporal's server answers them).
                Arguments.of("WorkflowId = 'foo", "malformed SQL query: syntax error at position 45 near 'foo'"),
                Arguments.of("WorkflowId = ", "malformed SQL query: syntax error at position 40"),
                Arguments.of("WorkflowId = 'a' AND", "malformed SQL query: syntax error at position 48"),
                Arguments.of("WorkflowId = 'a' WorkflowId", "malformed SQL query: syntax error at position 55"
                        + " near 'WorkflowId'"),
                Arguments.of("(WorkflowId = 'a'", "malformed SQL query: syntax error at position 45"),
                Arguments.of("WorkflowId IN ()", "malformed SQL query: syntax error at position 44"),
                Arguments.of("WorkflowId IN 'a'", "malformed SQL query: syntax error at position 45 near 'a'"),
                Arguments.of("WorkflowId = 'a'; DROP TABLE x", "malformed SQL query: syntax error at position 50"
                        + " near 'drop'"),
                Arguments.of("WorkflowId = 12abc", "malformed SQL query: syntax error at position 43 near '12'"),
                Arguments.of("Order = 'x'", "malformed SQL query: syntax error at position 33 near 'order'"),
                // Clauses Temporal does not take.
                Arguments.of("WorkflowId = 'a' LIMIT 10", "operation is not supported: 'LIMIT' clause"),
                Arguments.of("GROUP BY ExecutionStatus, RunId",
                        "operation is not supported: 'GROUP BY' clause supports only a single field"),
                Arguments.of("GROUP BY RunId",
                        "operation is not supported: 'GROUP BY' clause is not supported for search attribute RunId"),
                Arguments.of("GROUP BY InvalidField",
                        "invalid expression: column name 'InvalidField' is not a valid search attribute"),
                Arguments.of("ORDER BY InvalidField",
                        "invalid expression: column name 'InvalidField' is not a valid search attribute"),
                Arguments.of("ORDER BY CustomTextField",
                        "operation is not supported: unable to sort by search attribute type Text"),
                // Expressions that are not conditions.
                Arguments.of("true", "operation is not supported: expression of type sqlparser.BoolVal"),
                Arguments.of("'a' = WorkflowId", "invalid expression: must be a column name but was *sqlparser.SQLVal"),
                Arguments.of("WorkflowId", "invalid expression: incomplete expression"),
                Arguments.of("WorkflowId = 'a' AND RunId", "invalid expression: incomplete expression"),
                Arguments.of("coalesce(WorkflowId, 'foo')", "operation is not supported: function expression"),
                Arguments.of("WorkflowId = lower('A')", "operation is not supported: nested func"),
                Arguments.of("WorkflowId = RunId", "operation is not supported: column name on the right side of"
                        + " comparison expression (did you forget to quote \"RunId\"?)"),
                Arguments.of("CustomKeywordField BETWEEN InvalidValue AND '456'", "operation is not supported:"
                        + " column name on the right side of comparison expression (did you forget to quote"
                        + " \"InvalidValue\"?)"),
                Arguments.of("WorkflowId IS TRUE",
                        "invalid expression: 'IS' operator can only be used as 'IS NULL' or 'IS NOT NULL'"),
                Arguments.of("WorkflowId IS NOT FALSE",
                        "invalid expression: 'IS' operator can only be used as 'IS NULL' or 'IS NOT NULL'"),
                // Unknown attributes, including ones that exist only in another namespace or as columns.
                Arguments.of("InvalidField = 'foo'",
                        "invalid expression: column name 'InvalidField' is not a valid search attribute"),
                Arguments.of("NamespaceId = 'other'",
                        "invalid expression: column name 'NamespaceId' is not a valid search attribute"),
                Arguments.of("namespace_id = 'other'",
                        "invalid expression: column name 'namespace_id' is not a valid search attribute"),
                Arguments.of("InvalidField IS NOT NULL",
                        "invalid expression: column name 'InvalidField' is not a valid search attribute"),
                // Operators per type (values are typed first, as Temporal does, so these values fit).
                Arguments.of("WorkflowId LIKE 'foo%'", "operation is not supported: operator 'LIKE' not supported"
                        + " for Keyword type search attribute 'WorkflowId'"),
                Arguments.of("CustomStringField LIKE 'a'", "operation is not supported: operator 'LIKE' not"
                        + " supported for KeywordList type search attribute 'CustomStringField'"),
                Arguments.of("CustomStringField > 'a'", "operation is not supported: operator '>' not"
                        + " supported for KeywordList type search attribute 'CustomStringField'"),
                Arguments.of("CustomStringField STARTS_WITH 'a'", "operation is not supported: operator"
                        + " 'STARTS_WITH' not supported for KeywordList type search attribute 'CustomStringField'"),
                Arguments.of("CustomTextField IN ('a')", "operation is not supported: operator 'IN' not"
                        + " supported for Text type search attribute 'CustomTextField'"),
                Arguments.of("CustomTextField < 'a'", "operation is not supported: operator '<' not"
                        + " supported for Text type search attribute 'CustomTextField'"),
                Arguments.of("CustomIntField STARTS_WITH 1", "operation is not supported: operator"
                        + " 'STARTS_WITH' not supported for Int type search attribute 'CustomIntField'"),
                Arguments.of("HistoryLength NOT STARTS_WITH 1", "operation is not supported: operator"
                        + " 'NOT STARTS_WITH' not supported for Int type search attribute 'HistoryLength'"),
                Arguments.of("StartTime REGEXP '2025-01-01T00:00:00Z'",
                        "operation is not supported: operator 'REGEXP' not"
                        + " supported for Datetime type search attribute 'StartTime'"),
                Arguments.of("CustomBoolField <=> true", "operation is not supported: operator '<=>' not"
                        + " supported for Bool type search attribute 'CustomBoolField'"),
                Arguments.of("CustomTextField BETWEEN 'a' AND 'b'", "invalid expression: cannot do range"
                        + " condition on search attribute 'CustomTextField' of type Text"),
                Arguments.of("CustomBoolField BETWEEN false AND true", "invalid expression: cannot do range"
                        + " condition on search attribute 'CustomBoolField' of type Bool"),
                Arguments.of("CustomStringField BETWEEN 'a' AND 'b'", "invalid expression: cannot do range"
                        + " condition on search attribute 'CustomStringField' of type KeywordList"),
                Arguments.of("CustomTextField = '   '",
                        "invalid expression: unexpected value for Text type search attribute (no tokens found)"),
                Arguments.of("ExecutionStatus STARTS_WITH 'Running'", "invalid expression: right-hand side of"
                        + " \"starts_with\" operator must be a literal string (got: Running)"),
                // Values of the wrong type.
                Arguments.of("CustomIntField = 'foo'", "invalid expression: invalid value type for search attribute"
                        + " CustomIntField of type Int: \"foo\" (type: string)"),
                Arguments.of("HistoryLength > '5'", "invalid expression: invalid value type for search attribute"
                        + " HistoryLength of type Int: \"5\" (type: string)"),
                Arguments.of("CustomDoubleField = 'foo'", "invalid expression: invalid value type for search"
                        + " attribute CustomDoubleField of type Double: \"foo\" (type: string)"),
                Arguments.of("CustomBoolField = 'foo'", "invalid expression: invalid value type for search attribute"
                        + " CustomBoolField of type Bool: \"foo\" (type: string)"),
                Arguments.of("CustomBoolField = 1", "invalid expression: invalid value type for search attribute"
                        + " CustomBoolField of type Bool: 1 (type: int64)"),
                Arguments.of("CustomDatetimeField = 123.456", "invalid expression: invalid value type for search"
                        + " attribute CustomDatetimeField of type Datetime: 123.456 (type: float64)"),
                Arguments.of("CustomDatetimeField = '2025-01-01 12:34:56Z'",
                        "invalid expression: unable to parse datetime '2025-01-01 12:34:56Z'"),
                Arguments.of("StartTime > '2025-01-01'", "invalid expression: unable to parse datetime '2025-01-01'"),
                Arguments.of("StartTime > '2025-02-30T00:00:00Z'",
                        "invalid expression: unable to parse datetime '2025-02-30T00:00:00Z'"),
                Arguments.of("CustomKeywordField = 123", "invalid expression: invalid value type for search attribute"
                        + " CustomKeywordField of type Keyword: 123 (type: int64)"),
                Arguments.of("WorkflowId = true", "invalid expression: invalid value type for search attribute"
                        + " WorkflowId of type Keyword: true (type: bool)"),
                Arguments.of("CustomStringField = 123", "invalid expression: invalid value type for search attribute"
                        + " CustomStringField of type KeywordList: 123 (type: int64)"),
                Arguments.of("CustomTextField = 123", "invalid expression: invalid value type for search attribute"
                        + " CustomTextField of type Text: 123 (type: int64)"),
                Arguments.of("WorkflowId IN ('a', 1)", "invalid expression: invalid value type for search attribute"
                        + " WorkflowId of type Keyword: 1 (type: int64)"),
                Arguments.of("ExecutionStatus = 999", "invalid expression: invalid ExecutionStatus value 999"),
                Arguments.of("ExecutionStatus = 'Invalid'",
                        "invalid expression: invalid ExecutionStatus value 'Invalid'"),
                Arguments.of("ExecutionStatus = 'running'",
                        "invalid expression: invalid ExecutionStatus value 'running'"),
                Arguments.of("ExecutionStatus = 1.5",
                        "invalid expression: unexpected value type float64 for search attribute ExecutionStatus"),
                Arguments.of("ExecutionDuration > '1t'",
                        "invalid expression: invalid duration value for search attribute ExecutionDuration: 1t"),
                Arguments.of("ExecutionDuration > true",
                        "invalid expression: unexpected value type bool for search attribute ExecutionDuration"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    void refusesWithTemporalsMessage(String query, String message) {
        StatusRuntimeException error = assertThrows(StatusRuntimeException.class,
                () -> QueryConverter.convert(query, CUSTOM));
        assertEquals(Status.Code.INVALID_ARGUMENT, error.getStatus().getCode());
        assertEquals("invalid query: " + message, error.getStatus().getDescription());
    }

    @Test
    void customAttributesBelongToTheirNamespace() {
        StatusRuntimeException error = assertThrows(StatusRuntimeException.class,
                () -> QueryConverter.convert("CustomKeywordField = 'k'", Map.of()));
        assertEquals("invalid query: invalid expression: column name 'CustomKeywordField' is not a valid search"
                + " attribute", error.getStatus().getDescription());
    }

    @Test
    void aCustomAttributeCannotShadowASystemOne() {
        VisibilityQuery query = QueryConverter.convert("WorkflowId = 'a'",
                Map.of("WorkflowId", INDEXED_VALUE_TYPE_INT));
        assertEquals("WorkflowId = [a:String]", render(query));
    }

    @Test
    void remembersWhetherTheQueryNamesANamespaceDivision() {
        assertFalse(QueryConverter.convert("WorkflowId = 'a'", CUSTOM).mentionsNamespaceDivision());
        assertTrue(QueryConverter.convert("TemporalNamespaceDivision = 'x'", CUSTOM).mentionsNamespaceDivision());
        assertTrue(QueryConverter.convert("NamespaceDivision IS NOT NULL", CUSTOM).mentionsNamespaceDivision());
    }

    static String render(VisibilityQuery query) {
        String text = query.where() == null ? "<none>" : render(query.where());
        if (!query.groupBy().isEmpty()) {
            text += " GROUP BY " + query.groupBy().stream().map(VisibilityQuery.Attribute::name)
                    .collect(Collectors.joining(", "));
        }
        if (!query.orderBy().isEmpty()) {
            text += " ORDER BY " + query.orderBy().stream()
                    .map(o -> o.attribute().name() + (o.descending() ? " DESC" : ""))
                    .collect(Collectors.joining(", "));
        }
        return text;
    }

    private static String render(Condition condition) {
        if (condition instanceof VisibilityQuery.And and) {
            return "(" + render(and.left()) + " AND " + render(and.right()) + ")";
        }
        if (condition instanceof VisibilityQuery.Or or) {
            return "(" + render(or.left()) + " OR " + render(or.right()) + ")";
        }
        if (condition instanceof VisibilityQuery.Not not) {
            return "NOT (" + render(not.condition()) + ")";
        }
        if (condition instanceof VisibilityQuery.IsNull isNull) {
            return isNull.attribute().name() + (isNull.negated() ? " IS NOT NULL" : " IS NULL");
        }
        if (condition instanceof VisibilityQuery.Range range) {
            return range.attribute().name() + (range.negated() ? " NOT BETWEEN " : " BETWEEN ")
                    + value(range.from()) + " AND " + value(range.to());
        }
        VisibilityQuery.Comparison comparison = (VisibilityQuery.Comparison) condition;
        return comparison.attribute().name() + " " + comparison.operator().text() + " "
                + comparison.values().stream().map(QueryConverterTest::value)
                .collect(Collectors.joining(", ", "[", "]"));
    }

    private static String value(Object value) {
        return value + ":" + value.getClass().getSimpleName();
    }
}
