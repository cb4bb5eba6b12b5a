package dev.aeon.dataplane.visibility.query;

import io.temporal.api.enums.v1.IndexedValueType;

import java.util.List;

/**
 * A query with every name resolved to a search attribute and every value typed for it: what a store translates.
 * Values are {@code String} (Keyword, KeywordList, Text), {@code Long} or {@code Double} (Int, Double),
 * {@code Boolean}, {@code java.time.Instant} (Datetime), {@code WorkflowExecutionStatus} (ExecutionStatus) and
 * {@code Long} nanoseconds (ExecutionDuration).
 *
 * @param where     null when the query has no condition
 * @param groupBy   at most one attribute, one Temporal allows to group by
 * @param orderBy   as written; stores that cannot sort by it refuse it
 * @param hasLimit  Temporal refuses LIMIT in a query
 * @param mentionsNamespaceDivision whether the query filters on TemporalNamespaceDivision itself; if not,
 *                  Temporal shows only records without a division (schedules' workflows have one)
 */
public record VisibilityQuery(Condition where, List<Attribute> groupBy, List<Order> orderBy,
                              boolean mentionsNamespaceDivision) {

    /** A resolved search attribute: {@code alias} as the query wrote it, {@code name} the attribute's own. */
    public record Attribute(String alias, String name, IndexedValueType type) {
    }

    public record Order(Attribute attribute, boolean descending) {
    }

    public enum Operator {
        EQ("="), NE("!="), LT("<"), LE("<="), GT(">"), GE(">="), IN("in"), NOT_IN("not in"),
        STARTS_WITH("starts_with"), NOT_STARTS_WITH("not starts_with");

        private final String text;

        Operator(String text) {
            this.text = text;
        }

        /** As Temporal's parser spells it. */
        public String text() {
            return text;
        }

        static Operator of(String text) {
            for (Operator operator : values()) {
                if (operator.text.equals(text)) {
                    return operator;
                }
            }
            return null;
        }
    }

    public sealed interface Condition permits And, Or, Not, Comparison, Range, IsNull {
    }

    public record And(Condition left, Condition right) implements Condition {
    }

    public record Or(Condition left, Condition right) implements Condition {
    }

    public record Not(Condition condition) implements Condition {
    }

    /** {@code values} has one value, or the list of an IN / NOT IN. */
    public record Comparison(Attribute attribute, Operator operator, List<Object> values) implements Condition {
    }

    public record Range(Attribute attribute, boolean negated, Object from, Object to) implements Condition {
    }

    public record IsNull(Attribute attribute, boolean negated) implements Condition {
    }
}
