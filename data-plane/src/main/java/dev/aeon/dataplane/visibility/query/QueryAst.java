package dev.aeon.dataplane.visibility.query;

import java.util.List;

/**
 * What {@link QueryParser} reads from a query string, before any name is resolved: the shape of Temporal's SQL-like
 * WHERE clause with its GROUP BY, ORDER BY and LIMIT. {@link QueryConverter} resolves and types it.
 */
public final class QueryAst {

    private QueryAst() {
    }

    /** The whole query; {@code where} is null when the query has no condition. */
    public record Statement(Expr where, List<String> groupBy, List<OrderItem> orderBy, boolean hasLimit) {
    }

    public record OrderItem(String column, boolean descending) {
    }

    public sealed interface Expr permits And, Or, Not, Comparison, Between, Is, BareColumn, FunctionCall {
    }

    public record And(Expr left, Expr right) implements Expr {
    }

    public record Or(Expr left, Expr right) implements Expr {
    }

    public record Not(Expr expr) implements Expr {
    }

    /** {@code operator} as Temporal's parser spells it: "=", "!=", "<", "in", "not in", "starts_with", "like"... */
    public record Comparison(String column, String operator, Value value) implements Expr {
    }

    public record Between(String column, boolean negated, Value from, Value to) implements Expr {
    }

    public record Is(String column, boolean notNull) implements Expr {
    }

    /** A column alone where a condition belongs ("WorkflowId AND ..."): Temporal's "incomplete expression". */
    public record BareColumn(String column) implements Expr {
    }

    public record FunctionCall(String name) implements Expr {
    }

    public sealed interface Value permits StringValue, NumberValue, BoolValue, TupleValue, ColumnValue, FunctionValue {
    }

    public record StringValue(String value) implements Value {
    }

    /** The literal's text, typed later: an int64 when it parses as one, else a float64. */
    public record NumberValue(String text) implements Value {
    }

    public record BoolValue(boolean value) implements Value {
    }

    public record TupleValue(List<Value> values) implements Value {
    }

    /** An unquoted name on the right of an operator, usually a forgotten quote. */
    public record ColumnValue(String name) implements Value {
    }

    public record FunctionValue(String name) implements Value {
    }
}
