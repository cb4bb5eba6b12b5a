package dev.aeon.dataplane.visibility.store.postgres;

import dev.aeon.dataplane.visibility.query.QueryErrors;
import dev.aeon.dataplane.visibility.query.SearchAttributeCatalog;
import dev.aeon.dataplane.visibility.query.VisibilityQuery;
import dev.aeon.dataplane.visibility.query.VisibilityQuery.Attribute;
import dev.aeon.dataplane.visibility.query.VisibilityQuery.Comparison;
import dev.aeon.dataplane.visibility.query.VisibilityQuery.Condition;
import dev.aeon.dataplane.visibility.query.VisibilityQuery.Operator;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static java.util.Map.entry;

/**
 * Translates a {@link VisibilityQuery} into a PostgreSQL condition over {@code executions_visibility}. Every value,
 * and every custom attribute's name, travels as a bind parameter: the SQL text is built only from this class's own
 * constants, so nothing a user writes can change the statement's shape.
 *
 * <p>System attributes are columns; the others are keys of the {@code search_attributes} JSONB object, cast to
 * their type. Keyword equality on JSONB is a containment test, which the GIN index serves.
 */
final class PostgresQueryTranslator {

    /** A piece of SQL and its parameters, in order. */
    record Sql(String text, List<Object> parameters) {
    }

    static final Map<String, String> COLUMNS = Map.ofEntries(
            entry(SearchAttributeCatalog.WORKFLOW_ID, "workflow_id"),
            entry(SearchAttributeCatalog.RUN_ID, "run_id"),
            entry(SearchAttributeCatalog.WORKFLOW_TYPE, "workflow_type"),
            entry(SearchAttributeCatalog.START_TIME, "start_time"),
            entry(SearchAttributeCatalog.EXECUTION_TIME, "execution_time"),
            entry(SearchAttributeCatalog.CLOSE_TIME, "close_time"),
            entry(SearchAttributeCatalog.EXECUTION_STATUS, "status"),
            entry(SearchAttributeCatalog.TASK_QUEUE, "task_queue"),
            entry(SearchAttributeCatalog.HISTORY_LENGTH, "history_length"),
            entry(SearchAttributeCatalog.EXECUTION_DURATION, "execution_duration"),
            entry(SearchAttributeCatalog.STATE_TRANSITION_COUNT, "state_transition_count"),
            entry(SearchAttributeCatalog.HISTORY_SIZE_BYTES, "history_size_bytes"),
            entry(SearchAttributeCatalog.PARENT_WORKFLOW_ID, "parent_workflow_id"),
            entry(SearchAttributeCatalog.PARENT_RUN_ID, "parent_run_id"),
            entry(SearchAttributeCatalog.ROOT_WORKFLOW_ID, "root_workflow_id"),
            entry(SearchAttributeCatalog.ROOT_RUN_ID, "root_run_id"),
            // Generated from the JSONB object, so its filter can use an index.
            entry(SearchAttributeCatalog.NAMESPACE_DIVISION, "namespace_division"));

    private final StringBuilder text = new StringBuilder();
    private final List<Object> parameters = new ArrayList<>();

    private PostgresQueryTranslator() {
    }

    /**
     * The WHERE condition: the namespace first, in the statement's own text, then the user's condition in
     * parentheses, so no OR in it can reach another namespace's rows.
     */
    static Sql where(String namespaceId, VisibilityQuery query) {
        PostgresQueryTranslator sql = new PostgresQueryTranslator();
        sql.text.append("namespace_id = ?");
        sql.parameters.add(namespaceId);
        if (!query.mentionsNamespaceDivision()) {
            // Temporal lists only records outside any division unless the query names one (schedules have one).
            sql.text.append(" AND namespace_division IS NULL");
        }
        if (query.where() != null) {
            sql.text.append(" AND (");
            sql.condition(query.where());
            sql.text.append(')');
        }
        return new Sql(sql.text.toString(), List.copyOf(sql.parameters));
    }

    /** The expression a GROUP BY groups on. */
    static Sql groupExpression(Attribute attribute) {
        PostgresQueryTranslator sql = new PostgresQueryTranslator();
        if (COLUMNS.containsKey(attribute.name())) {
            sql.text.append(COLUMNS.get(attribute.name()));
        } else {
            sql.text.append("search_attributes ->> ?");
            sql.parameters.add(attribute.name());
        }
        return new Sql(sql.text.toString(), List.copyOf(sql.parameters));
    }

    private void condition(Condition condition) {
        if (condition instanceof VisibilityQuery.And and) {
            binary(and.left(), " AND ", and.right());
        } else if (condition instanceof VisibilityQuery.Or or) {
            binary(or.left(), " OR ", or.right());
        } else if (condition instanceof VisibilityQuery.Not not) {
            text.append("NOT (");
            condition(not.condition());
            text.append(')');
        } else if (condition instanceof VisibilityQuery.IsNull isNull) {
            Attribute attribute = isNull.attribute();
            if (COLUMNS.containsKey(attribute.name())) {
                text.append(COLUMNS.get(attribute.name()));
            } else {
                text.append("(search_attributes -> ?)");
                parameters.add(attribute.name());
            }
            text.append(isNull.negated() ? " IS NOT NULL" : " IS NULL");
        } else if (condition instanceof VisibilityQuery.Range range) {
            column(range.attribute());
            text.append(range.negated() ? " NOT BETWEEN ? AND ?" : " BETWEEN ? AND ?");
            parameters.add(parameter(range.from()));
            parameters.add(parameter(range.to()));
        } else {
            comparison((Comparison) condition);
        }
    }

    private void binary(Condition left, String operator, Condition right) {
        text.append('(');
        condition(left);
        text.append(operator);
        condition(right);
        text.append(')');
    }

    private void comparison(Comparison comparison) {
        Attribute attribute = comparison.attribute();
        switch (attribute.type()) {
            case INDEXED_VALUE_TYPE_KEYWORD_LIST -> keywordList(comparison);
            case INDEXED_VALUE_TYPE_TEXT -> text(comparison);
            default -> {
                Operator operator = comparison.operator();
                if (operator == Operator.EQ && attribute.type() == IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD
                        && !COLUMNS.containsKey(attribute.name())) {
                    text.append("search_attributes @> jsonb_build_object(?::text, ?::text)");
                    parameters.add(attribute.name());
                    parameters.add(comparison.values().get(0));
                    return;
                }
                column(attribute);
                switch (operator) {
                    case IN, NOT_IN -> {
                        text.append(operator == Operator.IN ? " IN (" : " NOT IN (");
                        for (int i = 0; i < comparison.values().size(); i++) {
                            text.append(i == 0 ? "?" : ", ?");
                            parameters.add(parameter(comparison.values().get(i)));
                        }
                        text.append(')');
                    }
                    case STARTS_WITH, NOT_STARTS_WITH -> {
                        text.append(operator == Operator.STARTS_WITH ? " LIKE ? ESCAPE '!'" : " NOT LIKE ? ESCAPE '!'");
                        parameters.add(likePrefix((String) comparison.values().get(0)));
                    }
                    default -> {
                        text.append(' ').append(operator == Operator.NE ? "<>" : operator.text()).append(" ?");
                        parameters.add(parameter(comparison.values().get(0)));
                    }
                }
            }
        }
    }

    /** A KeywordList matches a value when its array contains it (a containment the GIN index serves). */
    private void keywordList(Comparison comparison) {
        Operator operator = comparison.operator();
        boolean negated = operator == Operator.NE || operator == Operator.NOT_IN;
        if (negated) {
            // As in SQL (and Temporal's SQL stores), a run without the attribute matches neither = nor !=.
            text.append("(search_attributes -> ?) IS NOT NULL AND ");
            parameters.add(comparison.attribute().name());
        }
        text.append(negated ? "NOT (" : "(");
        List<Object> values = comparison.values();
        for (int i = 0; i < values.size(); i++) {
            text.append(i == 0 ? "" : " OR ")
                    .append("search_attributes @> jsonb_build_object(?::text, jsonb_build_array(?::text))");
            parameters.add(comparison.attribute().name());
            parameters.add(values.get(i));
        }
        text.append(')');
    }

    /** Temporal's Text match: any of the value's space-separated tokens, in PostgreSQL's full-text search. */
    private void text(Comparison comparison) {
        String[] tokens = ((String) comparison.values().get(0)).trim().split(" +");
        text.append(comparison.operator() == Operator.NE ? "NOT (" : "(");
        text.append("to_tsvector('simple', search_attributes ->> ?) @@ (");
        parameters.add(comparison.attribute().name());
        for (int i = 0; i < tokens.length; i++) {
            text.append(i == 0 ? "" : " || ").append("plainto_tsquery('simple', ?)");
            parameters.add(tokens[i]);
        }
        text.append("))");
    }

    /** The attribute as a typed SQL expression; Keyword compares byte-wise, as Temporal's stores do. */
    private void column(Attribute attribute) {
        if (COLUMNS.containsKey(attribute.name())) {
            // The table declares its text columns COLLATE "C", so their indexes serve these comparisons.
            text.append(COLUMNS.get(attribute.name()));
            return;
        }
        String cast = switch (attribute.type()) {
            case INDEXED_VALUE_TYPE_INT, INDEXED_VALUE_TYPE_DOUBLE -> "::numeric";
            case INDEXED_VALUE_TYPE_BOOL -> "::boolean";
            case INDEXED_VALUE_TYPE_DATETIME -> "::timestamptz";
            case INDEXED_VALUE_TYPE_KEYWORD -> " COLLATE \"C\"";
            default -> throw QueryErrors.invalidQuery("unsupported search attribute type for "
                    + attribute.alias());
        };
        text.append("(search_attributes ->> ?)").append(cast);
        parameters.add(attribute.name());
    }

    private static Object parameter(Object value) {
        if (value instanceof Instant instant) {
            return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
        }
        if (value instanceof WorkflowExecutionStatus status) {
            return status.getNumber();
        }
        return value;
    }

    private static String likePrefix(String prefix) {
        StringBuilder escaped = new StringBuilder();
        for (char c : prefix.toCharArray()) {
            if (c == '%' || c == '_' || c == '!') {
                escaped.append('!');
            }
            escaped.append(c);
        }
        return escaped.append('%').toString();
    }
}
