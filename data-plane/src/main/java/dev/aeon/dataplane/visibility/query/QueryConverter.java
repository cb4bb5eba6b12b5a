package dev.aeon.dataplane.visibility.query;

import dev.aeon.dataplane.visibility.query.QueryAst.Expr;
import dev.aeon.dataplane.visibility.query.QueryAst.Statement;
import dev.aeon.dataplane.visibility.query.QueryAst.Value;
import dev.aeon.dataplane.visibility.query.VisibilityQuery.Attribute;
import dev.aeon.dataplane.visibility.query.VisibilityQuery.Condition;
import dev.aeon.dataplane.visibility.query.VisibilityQuery.Operator;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.aeon.dataplane.visibility.query.SearchAttributeCatalog.EXECUTION_DURATION;
import static dev.aeon.dataplane.visibility.query.SearchAttributeCatalog.EXECUTION_STATUS;
import static io.temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_DATETIME;
import static io.temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_DOUBLE;
import static io.temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_INT;
import static io.temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD;
import static io.temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD_LIST;
import static io.temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_TEXT;

/**
 * Resolves a parsed query against a namespace's search attributes and types its values, rule for rule as
 * Temporal's {@code query.QueryConverter}: which operators each type takes, how values are coerced
 * (ExecutionStatus by name or number, datetimes in RFC 3339 or epoch nanoseconds, ExecutionDuration as a duration),
 * and the messages when they do not fit. Store-independent: every store translates the result.
 */
public final class QueryConverter {

    private static final Set<Operator> COMPARISON_OPERATORS = EnumSet.of(Operator.EQ, Operator.NE, Operator.LT,
            Operator.GT, Operator.LE, Operator.GE, Operator.IN, Operator.NOT_IN);
    private static final Set<Operator> KEYWORD_OPERATORS = EnumSet.allOf(Operator.class);
    private static final Set<Operator> KEYWORD_LIST_OPERATORS = EnumSet.of(Operator.EQ, Operator.NE, Operator.IN,
            Operator.NOT_IN);
    private static final Set<Operator> TEXT_OPERATORS = EnumSet.of(Operator.EQ, Operator.NE);
    private static final Set<IndexedValueType> RANGE_TYPES = EnumSet.of(INDEXED_VALUE_TYPE_DATETIME,
            INDEXED_VALUE_TYPE_DOUBLE, INDEXED_VALUE_TYPE_INT, INDEXED_VALUE_TYPE_KEYWORD);
    private static final String LOW_CARDINALITY_PREFIX = "TemporalLowCardinalityKeyword";

    private final CustomSearchAttributes customAttributes;
    private boolean seenNamespaceDivision;

    private QueryConverter(CustomSearchAttributes customAttributes) {
        this.customAttributes = customAttributes;
    }

    /**
     * @param customAttributes the namespace's registered custom search attributes, their types and fields: a
     *                         custom attribute resolves to its field (what stores keep values under); a name it no
     *                         longer has (renamed) is unknown, as in Temporal
     * @throws io.grpc.StatusRuntimeException INVALID_ARGUMENT "invalid query: ..." naming what does not fit
     */
    public static VisibilityQuery convert(String query, CustomSearchAttributes customAttributes) {
        return new QueryConverter(customAttributes).convert(QueryParser.parse(query));
    }

    /** Custom attributes stored under their own names. */
    public static VisibilityQuery convert(String query, Map<String, IndexedValueType> customAttributes) {
        return convert(query, CustomSearchAttributes.byName(customAttributes));
    }

    private VisibilityQuery convert(Statement statement) {
        if (statement.hasLimit()) {
            throw QueryErrors.notSupported("'LIMIT' clause");
        }
        Condition where = statement.where() == null ? null : condition(statement.where());
        if (statement.groupBy().size() > 1) {
            throw QueryErrors.notSupported("'GROUP BY' clause supports only a single field");
        }
        List<Attribute> groupBy = new ArrayList<>();
        for (String column : statement.groupBy()) {
            Attribute attribute = resolve(column);
            if (!attribute.name().equals(EXECUTION_STATUS)
                    && !attribute.name().equals(SearchAttributeCatalog.NAMESPACE_DIVISION)
                    && !attribute.name().startsWith(LOW_CARDINALITY_PREFIX)) {
                throw QueryErrors.notSupported("'GROUP BY' clause is not supported for search attribute "
                        + attribute.alias());
            }
            groupBy.add(attribute);
        }
        List<VisibilityQuery.Order> orderBy = new ArrayList<>();
        for (QueryAst.OrderItem item : statement.orderBy()) {
            Attribute attribute = resolve(item.column());
            if (attribute.type() == INDEXED_VALUE_TYPE_TEXT) {
                throw QueryErrors.notSupported("unable to sort by search attribute type "
                        + QueryValues.typeName(attribute.type()));
            }
            orderBy.add(new VisibilityQuery.Order(attribute, item.descending()));
        }
        return new VisibilityQuery(where, List.copyOf(groupBy), List.copyOf(orderBy), seenNamespaceDivision);
    }

    private Condition condition(Expr expr) {
        if (expr instanceof QueryAst.And and) {
            return new VisibilityQuery.And(condition(and.left()), condition(and.right()));
        }
        if (expr instanceof QueryAst.Or or) {
            return new VisibilityQuery.Or(condition(or.left()), condition(or.right()));
        }
        if (expr instanceof QueryAst.Not not) {
            return new VisibilityQuery.Not(condition(not.expr()));
        }
        if (expr instanceof QueryAst.Comparison comparison) {
            return comparison(comparison);
        }
        if (expr instanceof QueryAst.Between between) {
            return range(between);
        }
        if (expr instanceof QueryAst.Is is) {
            return new VisibilityQuery.IsNull(resolve(is.column()), is.notNull());
        }
        if (expr instanceof QueryAst.BareColumn) {
            throw QueryErrors.invalidExpression("incomplete expression");
        }
        throw QueryErrors.notSupported("function expression");
    }

    private Condition comparison(QueryAst.Comparison comparison) {
        Attribute attribute = resolve(comparison.column());
        List<Object> values = values(comparison.value(), attribute);
        Operator operator = Operator.of(comparison.operator());
        Set<Operator> allowed = switch (attribute.type()) {
            case INDEXED_VALUE_TYPE_KEYWORD -> KEYWORD_OPERATORS;
            case INDEXED_VALUE_TYPE_KEYWORD_LIST -> KEYWORD_LIST_OPERATORS;
            case INDEXED_VALUE_TYPE_TEXT -> TEXT_OPERATORS;
            default -> COMPARISON_OPERATORS;
        };
        if (operator == null || !allowed.contains(operator)) {
            throw QueryErrors.notSupported("operator '" + comparison.operator().toUpperCase(java.util.Locale.ROOT)
                    + "' not supported for " + QueryValues.typeName(attribute.type()) + " type search attribute '"
                    + attribute.alias() + "'");
        }
        boolean isList = operator == Operator.IN || operator == Operator.NOT_IN;
        if (isList != (comparison.value() instanceof QueryAst.TupleValue)) {
            throw QueryErrors.invalidExpression("unexpected value type (expected "
                    + (isList ? "tuple" : "single value") + ") for operator '" + operator.text() + "'");
        }
        if (operator == Operator.STARTS_WITH || operator == Operator.NOT_STARTS_WITH) {
            if (!(values.get(0) instanceof String)) {
                throw QueryErrors.invalidExpression("right-hand side of \"" + operator.text()
                        + "\" operator must be a literal string (got: " + display(values.get(0)) + ")");
            }
        }
        if (attribute.type() == INDEXED_VALUE_TYPE_TEXT && ((String) values.get(0)).isBlank()) {
            throw QueryErrors.invalidExpression("unexpected value for Text type search attribute (no tokens found)");
        }
        return new VisibilityQuery.Comparison(attribute, operator, values);
    }

    private Condition range(QueryAst.Between between) {
        Attribute attribute = resolve(between.column());
        if (!RANGE_TYPES.contains(attribute.type())) {
            throw QueryErrors.invalidExpression("cannot do range condition on search attribute '" + attribute.alias()
                    + "' of type " + QueryValues.typeName(attribute.type()));
        }
        Object from = single(between.from(), attribute);
        Object to = single(between.to(), attribute);
        return new VisibilityQuery.Range(attribute, between.negated(), from, to);
    }

    private List<Object> values(Value value, Attribute attribute) {
        if (value instanceof QueryAst.TupleValue tuple) {
            List<Object> values = new ArrayList<>();
            for (Value item : tuple.values()) {
                values.add(single(item, attribute));
            }
            return List.copyOf(values);
        }
        return List.of(single(value, attribute));
    }

    private Object single(Value value, Attribute attribute) {
        Object raw;
        if (value instanceof QueryAst.StringValue string) {
            raw = string.value();
        } else if (value instanceof QueryAst.NumberValue number) {
            raw = number(number.text());
        } else if (value instanceof QueryAst.BoolValue bool) {
            raw = bool.value();
        } else if (value instanceof QueryAst.ColumnValue column) {
            throw QueryErrors.notSupported("column name on the right side of comparison expression (did you forget"
                    + " to quote " + goQuoted(column.name()) + "?)");
        } else if (value instanceof QueryAst.FunctionValue) {
            throw QueryErrors.notSupported("nested func");
        } else {
            throw QueryErrors.invalidExpression("unexpected value type tuple");
        }
        return switch (attribute.name()) {
            case EXECUTION_STATUS -> executionStatus(raw);
            case EXECUTION_DURATION -> executionDuration(raw);
            default -> typed(attribute, raw);
        };
    }

    private static Object number(String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException notAnInteger) {
            try {
                return Double.parseDouble(text);
            } catch (NumberFormatException e) {
                throw QueryErrors.invalidExpression("unable to parse value \"" + text + "\"");
            }
        }
    }

    private static Object typed(Attribute attribute, Object value) {
        switch (attribute.type()) {
            case INDEXED_VALUE_TYPE_INT, INDEXED_VALUE_TYPE_DOUBLE -> {
                if (value instanceof Long || value instanceof Double) {
                    return value;
                }
            }
            case INDEXED_VALUE_TYPE_BOOL -> {
                if (value instanceof Boolean) {
                    return value;
                }
            }
            case INDEXED_VALUE_TYPE_DATETIME -> {
                if (value instanceof Long nanos) {
                    return Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L),
                            Math.floorMod(nanos, 1_000_000_000L));
                }
                if (value instanceof String text) {
                    return QueryValues.parseDatetime(text).orElseThrow(() ->
                            QueryErrors.invalidExpression("unable to parse datetime '" + text + "'"));
                }
            }
            case INDEXED_VALUE_TYPE_KEYWORD, INDEXED_VALUE_TYPE_KEYWORD_LIST, INDEXED_VALUE_TYPE_TEXT -> {
                if (value instanceof String) {
                    return value;
                }
            }
            default -> throw QueryErrors.invalidExpression("unknown search attribute type "
                    + QueryValues.typeName(attribute.type()) + " for " + attribute.alias());
        }
        throw QueryErrors.invalidExpression("invalid value type for search attribute " + attribute.alias()
                + " of type " + QueryValues.typeName(attribute.type()) + ": " + goValue(value)
                + " (type: " + goType(value) + ")");
    }

    private static WorkflowExecutionStatus executionStatus(Object value) {
        if (value instanceof Long number) {
            WorkflowExecutionStatus status = number >= 0 && number <= Integer.MAX_VALUE
                    ? WorkflowExecutionStatus.forNumber(number.intValue()) : null;
            if (status == null) {
                throw QueryErrors.invalidExpression("invalid " + EXECUTION_STATUS + " value " + number);
            }
            return status;
        }
        if (value instanceof String name) {
            return QueryValues.executionStatus(name).orElseThrow(() ->
                    QueryErrors.invalidExpression("invalid " + EXECUTION_STATUS + " value '" + name + "'"));
        }
        throw QueryErrors.invalidExpression("unexpected value type " + goType(value) + " for search attribute "
                + EXECUTION_STATUS);
    }

    private static Long executionDuration(Object value) {
        if (value instanceof Long nanos) {
            return nanos;
        }
        if (value instanceof String text) {
            return QueryValues.parseDurationNanos(text).orElseThrow(() -> QueryErrors.invalidExpression(
                    "invalid duration value for search attribute " + EXECUTION_DURATION + ": " + text));
        }
        throw QueryErrors.invalidExpression("unexpected value type " + goType(value) + " for search attribute "
                + EXECUTION_DURATION);
    }

    /**
     * Temporal's order: a custom attribute of the namespace, then a system or predefined one, then the same name
     * with the "Temporal" prefix added or removed ("ScheduleId" and "TemporalScheduleId" stand for WorkflowId).
     */
    private Attribute resolve(String written) {
        String alias = written.replace("`", "");
        Attribute attribute = lookUp(alias);
        if (attribute.name().equals(SearchAttributeCatalog.NAMESPACE_DIVISION)) {
            seenNamespaceDivision = true;
        }
        return attribute;
    }

    private Attribute lookUp(String alias) {
        if (SearchAttributeCatalog.isMappable(alias) && customAttributes.types().containsKey(alias)) {
            return new Attribute(alias, customAttributes.field(alias), customAttributes.types().get(alias));
        }
        var builtIn = SearchAttributeCatalog.builtIn(alias);
        if (builtIn.isPresent()) {
            return new Attribute(alias, alias, builtIn.get());
        }
        String name;
        String prefix = SearchAttributeCatalog.RESERVED_PREFIX;
        if ((alias.startsWith(prefix) ? alias.substring(prefix.length()) : alias)
                .equals(SearchAttributeCatalog.SCHEDULE_ID)) {
            name = SearchAttributeCatalog.WORKFLOW_ID;
        } else if (alias.startsWith(prefix)) {
            name = alias.substring(prefix.length());
        } else {
            name = prefix + alias;
        }
        builtIn = SearchAttributeCatalog.builtIn(name);
        if (builtIn.isPresent()) {
            return new Attribute(alias, name, builtIn.get());
        }
        throw QueryErrors.invalidExpression("column name '" + alias + "' is not a valid search attribute");
    }

    /** How Go's {@code %#v} prints the value in Temporal's message. */
    private static String goValue(Object value) {
        return value instanceof String string ? goQuoted(string) : display(value);
    }

    private static String display(Object value) {
        if (value instanceof Double d && d == Math.rint(d) && !d.isInfinite() && Math.abs(d) < 1e21) {
            return String.valueOf(d.longValue());
        }
        if (value instanceof WorkflowExecutionStatus status) {
            return QueryValues.statusName(status);
        }
        return String.valueOf(value);
    }

    private static String goType(Object value) {
        if (value instanceof String) {
            return "string";
        }
        if (value instanceof Long) {
            return "int64";
        }
        if (value instanceof Double) {
            return "float64";
        }
        return value instanceof Boolean ? "bool" : value.getClass().getSimpleName();
    }

    private static String goQuoted(String value) {
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n").replace("\t", "\\t")
                + "\"";
    }
}
