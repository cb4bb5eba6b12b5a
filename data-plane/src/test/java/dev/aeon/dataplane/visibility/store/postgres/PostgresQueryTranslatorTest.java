package dev.aeon.dataplane.visibility.store.postgres;

import dev.aeon.dataplane.visibility.query.QueryConverter;
import dev.aeon.dataplane.visibility.store.postgres.PostgresQueryTranslator.Sql;
import io.temporal.api.enums.v1.IndexedValueType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The SQL each query becomes: fixed text from the translator's constants, every value (and every custom attribute's
 * name) a bind parameter, the namespace first and the user's condition parenthesized after it.
 */
class PostgresQueryTranslatorTest {

    private static final Map<String, IndexedValueType> CUSTOM = Map.of(
            "Kw", IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
            "Txt", IndexedValueType.INDEXED_VALUE_TYPE_TEXT,
            "Num", IndexedValueType.INDEXED_VALUE_TYPE_INT,
            "Dbl", IndexedValueType.INDEXED_VALUE_TYPE_DOUBLE,
            "Flag", IndexedValueType.INDEXED_VALUE_TYPE_BOOL,
            "When", IndexedValueType.INDEXED_VALUE_TYPE_DATETIME,
            "Tags", IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD_LIST);

    private static final String SCOPE = "namespace_id = ? AND namespace_division IS NULL";
    private static final String NS = "ns-1";

    static Stream<Arguments> translations() {
        return Stream.of(
                Arguments.of("", SCOPE, List.of(NS)),
                Arguments.of("WorkflowId = 'a'", SCOPE + " AND (workflow_id = ?)", List.of(NS, "a")),
                Arguments.of("WorkflowId != 'a'", SCOPE + " AND (workflow_id <> ?)", List.of(NS, "a")),
                Arguments.of("WorkflowType >= 'a' AND RunId < 'b'",
                        SCOPE + " AND ((workflow_type >= ? AND run_id < ?))", List.of(NS, "a", "b")),
                Arguments.of("WorkflowId = 'a' OR WorkflowId = 'b'",
                        SCOPE + " AND ((workflow_id = ? OR workflow_id = ?))", List.of(NS, "a", "b")),
                Arguments.of("NOT (WorkflowId = 'a')", SCOPE + " AND (NOT (workflow_id = ?))",
                        List.of(NS, "a")),
                Arguments.of("WorkflowId IN ('a', 'b', 'c')", SCOPE + " AND (workflow_id IN (?, ?, ?))",
                        List.of(NS, "a", "b", "c")),
                Arguments.of("TaskQueue NOT IN ('q')", SCOPE + " AND (task_queue NOT IN (?))",
                        List.of(NS, "q")),
                Arguments.of("WorkflowId STARTS_WITH 'a%_!b'", SCOPE + " AND (workflow_id LIKE ? ESCAPE '!')",
                        List.of(NS, "a!%!_!!b%")),
                Arguments.of("WorkflowId NOT STARTS_WITH 'x'", SCOPE + " AND (workflow_id NOT LIKE ? ESCAPE '!')",
                        List.of(NS, "x%")),
                Arguments.of("HistoryLength BETWEEN 1 AND 9", SCOPE + " AND (history_length BETWEEN ? AND ?)",
                        List.of(NS, 1L, 9L)),
                Arguments.of("HistoryLength NOT BETWEEN 1 AND 9",
                        SCOPE + " AND (history_length NOT BETWEEN ? AND ?)", List.of(NS, 1L, 9L)),
                Arguments.of("ExecutionStatus = 'Running'", SCOPE + " AND (status = ?)", List.of(NS, 1)),
                Arguments.of("ExecutionStatus IN ('Completed', 'Failed')", SCOPE + " AND (status IN (?, ?))",
                        List.of(NS, 2, 3)),
                Arguments.of("StartTime > '2025-01-01T00:00:00+01:00'", SCOPE + " AND (start_time > ?)",
                        List.of(NS, OffsetDateTime.parse("2024-12-31T23:00:00Z"))),
                Arguments.of("ExecutionDuration > '1s'", SCOPE + " AND (execution_duration > ?)",
                        List.of(NS, 1_000_000_000L)),
                Arguments.of("CloseTime IS NULL", SCOPE + " AND (close_time IS NULL)", List.of(NS)),
                Arguments.of("ParentWorkflowId IS NOT NULL", SCOPE + " AND (parent_workflow_id IS NOT NULL)",
                        List.of(NS)),
                // Custom and predefined attributes: JSONB, the attribute's name a parameter too.
                Arguments.of("Kw = 'v'", SCOPE + " AND (search_attributes @> jsonb_build_object(?::text, ?::text))",
                        List.of(NS, "Kw", "v")),
                Arguments.of("Kw != 'v'", SCOPE + " AND ((search_attributes ->> ?) COLLATE \"C\" <> ?)",
                        List.of(NS, "Kw", "v")),
                Arguments.of("Kw STARTS_WITH 'v'",
                        SCOPE + " AND ((search_attributes ->> ?) COLLATE \"C\" LIKE ? ESCAPE '!')",
                        List.of(NS, "Kw", "v%")),
                Arguments.of("Num > 5", SCOPE + " AND ((search_attributes ->> ?)::numeric > ?)",
                        List.of(NS, "Num", 5L)),
                Arguments.of("Dbl IN (1.5, 2)", SCOPE + " AND ((search_attributes ->> ?)::numeric IN (?, ?))",
                        List.of(NS, "Dbl", 1.5, 2L)),
                Arguments.of("Flag = true", SCOPE + " AND ((search_attributes ->> ?)::boolean = ?)",
                        List.of(NS, "Flag", true)),
                Arguments.of("When BETWEEN '2025-01-01T00:00:00Z' AND '2025-01-02T00:00:00Z'",
                        SCOPE + " AND ((search_attributes ->> ?)::timestamptz BETWEEN ? AND ?)",
                        List.of(NS, "When", OffsetDateTime.parse("2025-01-01T00:00:00Z"),
                                OffsetDateTime.parse("2025-01-02T00:00:00Z"))),
                Arguments.of("Tags = 'a'",
                        SCOPE + " AND ((search_attributes @> jsonb_build_object(?::text, jsonb_build_array(?::text))))",
                        List.of(NS, "Tags", "a")),
                Arguments.of("Tags NOT IN ('a', 'b')",
                        SCOPE + " AND ((search_attributes -> ?) IS NOT NULL AND NOT (search_attributes @>"
                                + " jsonb_build_object(?::text, jsonb_build_array(?::text))"
                                + " OR search_attributes @> jsonb_build_object(?::text, jsonb_build_array(?::text))))",
                        List.of(NS, "Tags", "Tags", "a", "Tags", "b")),
                Arguments.of("BuildIds != 'x'",
                        SCOPE + " AND ((search_attributes -> ?) IS NOT NULL AND NOT (search_attributes @>"
                                + " jsonb_build_object(?::text, jsonb_build_array(?::text))))",
                        List.of(NS, "BuildIds", "BuildIds", "x")),
                Arguments.of("Txt = 'quick  fox'", SCOPE + " AND ((to_tsvector('simple', search_attributes ->> ?)"
                                + " @@ (plainto_tsquery('simple', ?) || plainto_tsquery('simple', ?))))",
                        List.of(NS, "Txt", "quick", "fox")),
                Arguments.of("Txt != 'fox'", SCOPE + " AND (NOT (to_tsvector('simple', search_attributes ->> ?)"
                                + " @@ (plainto_tsquery('simple', ?))))",
                        List.of(NS, "Txt", "fox")),
                Arguments.of("Kw IS NULL", SCOPE + " AND ((search_attributes -> ?) IS NULL)",
                        List.of(NS, "Kw")),
                // Naming the division drops the default filter.
                Arguments.of("TemporalNamespaceDivision = 'd'", "namespace_id = ? AND (namespace_division = ?)",
                        List.of(NS, "d")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("translations")
    void translates(String query, String sql, List<Object> parameters) {
        Sql where = PostgresQueryTranslator.where(NS, QueryConverter.convert(query, CUSTOM));
        assertEquals(sql, where.text());
        assertEquals(parameters, where.parameters());
    }

    /** Whatever a query holds, the statement's text is the translator's; the user's text is only in parameters. */
    @Test
    void userTextNeverReachesTheStatement() {
        String hostile = "x') OR 1=1; DROP TABLE executions_visibility; --";
        Sql where = PostgresQueryTranslator.where(NS, QueryConverter.convert(
                "WorkflowId = '" + hostile.replace("'", "''") + "' OR Kw = '" + hostile.replace("'", "''") + "'",
                CUSTOM));
        assertFalse(where.text().contains("DROP"));
        assertFalse(where.text().contains("1=1"));
        assertTrue(where.parameters().contains(hostile));
        assertTrue(where.text().startsWith("namespace_id = ? AND "), where.text());
    }

    @Test
    void groupsByAColumnOrAJsonKey() {
        var status = QueryConverter.convert("GROUP BY ExecutionStatus", CUSTOM).groupBy().get(0);
        assertEquals(new Sql("status", List.of()), PostgresQueryTranslator.groupExpression(status));
        var division = QueryConverter.convert("GROUP BY TemporalNamespaceDivision", CUSTOM).groupBy().get(0);
        assertEquals(new Sql("namespace_division", List.of()), PostgresQueryTranslator.groupExpression(division));
        var keyword = QueryConverter.convert("GROUP BY TemporalLowCardinalityKeyword01",
                Map.of("TemporalLowCardinalityKeyword01", IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD)).groupBy().get(0);
        assertEquals(new Sql("search_attributes ->> ?", List.of("TemporalLowCardinalityKeyword01")),
                PostgresQueryTranslator.groupExpression(keyword));
    }
}
