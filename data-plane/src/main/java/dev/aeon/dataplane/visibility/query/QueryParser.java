package dev.aeon.dataplane.visibility.query;

import dev.aeon.dataplane.visibility.query.QueryAst.And;
import dev.aeon.dataplane.visibility.query.QueryAst.BareColumn;
import dev.aeon.dataplane.visibility.query.QueryAst.Between;
import dev.aeon.dataplane.visibility.query.QueryAst.BoolValue;
import dev.aeon.dataplane.visibility.query.QueryAst.ColumnValue;
import dev.aeon.dataplane.visibility.query.QueryAst.Comparison;
import dev.aeon.dataplane.visibility.query.QueryAst.Expr;
import dev.aeon.dataplane.visibility.query.QueryAst.FunctionCall;
import dev.aeon.dataplane.visibility.query.QueryAst.FunctionValue;
import dev.aeon.dataplane.visibility.query.QueryAst.Is;
import dev.aeon.dataplane.visibility.query.QueryAst.Not;
import dev.aeon.dataplane.visibility.query.QueryAst.NumberValue;
import dev.aeon.dataplane.visibility.query.QueryAst.Or;
import dev.aeon.dataplane.visibility.query.QueryAst.OrderItem;
import dev.aeon.dataplane.visibility.query.QueryAst.Statement;
import dev.aeon.dataplane.visibility.query.QueryAst.StringValue;
import dev.aeon.dataplane.visibility.query.QueryAst.TupleValue;
import dev.aeon.dataplane.visibility.query.QueryAst.Value;
import io.grpc.StatusRuntimeException;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads Temporal's visibility query language: the WHERE clause of a MySQL-dialect SELECT (Temporal parses it with
 * vitess' sqlparser), optionally followed by GROUP BY, ORDER BY and LIMIT, or only those. Precedence is SQL's:
 * OR below AND below NOT below the comparisons; {@code BETWEEN x AND y} binds its own AND.
 *
 * <p>It only builds the syntax tree; whether a name is an attribute, or an operator fits its type, is
 * {@link QueryConverter}'s business, so every message matches the step where Temporal makes it.
 */
public final class QueryParser {

    private enum Kind { IDENT, QUOTED_IDENT, STRING, NUMBER, SYMBOL, EOF }

    private record Token(Kind kind, String text, int end) {

        boolean isKeyword(String keyword) {
            return kind == Kind.IDENT && text.equalsIgnoreCase(keyword);
        }

        boolean isSymbol(String symbol) {
            return kind == Kind.SYMBOL && text.equals(symbol);
        }
    }

    private static final List<String> RESERVED = List.of("and", "or", "not", "in", "between", "is", "null", "true",
            "false", "like", "regexp", "order", "group", "by", "limit", "asc", "desc", "having", "select", "from",
            "where");
    /** Temporal parses "select * from table1 where " + the query; its parser's positions count from there. */
    private static final String WRAPPER = "select * from table1 where ";
    /** Words vitess reads as keywords, which it quotes in lower case in a syntax error. */
    private static final List<String> KEYWORDS = java.util.stream.Stream.concat(RESERVED.stream(),
            java.util.stream.Stream.of("drop", "table", "delete", "update", "insert", "into", "union", "set",
                    "values", "starts_with", "exists", "case", "when", "then", "else", "end")).toList();
    private static final List<String> COMPARISONS = List.of("=", "!=", "<>", "<", "<=", ">", ">=", "<=>");

    private final String query;
    private final List<Token> tokens;
    private int next;

    private QueryParser(String query) {
        this.query = query;
        this.tokens = tokenize(query);
    }

    /** @throws StatusRuntimeException INVALID_ARGUMENT "invalid query: malformed SQL query: ..." */
    public static Statement parse(String query) {
        return new QueryParser(query == null ? "" : query.strip()).statement();
    }

    private Statement statement() {
        Expr where = null;
        boolean clauseOnly = (peek().isKeyword("order") || peek().isKeyword("group")) && tokens.get(1).isKeyword("by");
        if (peek().kind != Kind.EOF && !clauseOnly) {
            where = orExpr();
        }
        List<String> groupBy = new ArrayList<>();
        if (accept("group")) {
            expectKeyword("by");
            do {
                groupBy.add(columnName());
            } while (acceptSymbol(","));
        }
        List<OrderItem> orderBy = new ArrayList<>();
        if (accept("order")) {
            expectKeyword("by");
            do {
                String column = columnName();
                boolean descending = false;
                if (accept("desc")) {
                    descending = true;
                } else {
                    accept("asc");
                }
                orderBy.add(new OrderItem(column, descending));
            } while (acceptSymbol(","));
        }
        boolean hasLimit = false;
        if (accept("limit")) {
            hasLimit = true;
            expect(Kind.NUMBER);
            if (acceptSymbol(",")) {
                expect(Kind.NUMBER);
            }
        }
        if (peek().kind != Kind.EOF) {
            throw syntaxError(peek());
        }
        return new Statement(where, List.copyOf(groupBy), List.copyOf(orderBy), hasLimit);
    }

    private Expr orExpr() {
        Expr left = andExpr();
        while (accept("or") || acceptSymbol("||")) {
            left = new Or(left, andExpr());
        }
        return left;
    }

    private Expr andExpr() {
        Expr left = notExpr();
        while (accept("and") || acceptSymbol("&&")) {
            left = new And(left, notExpr());
        }
        return left;
    }

    private Expr notExpr() {
        if (accept("not") || acceptSymbol("!")) {
            return new Not(notExpr());
        }
        return predicate();
    }

    private Expr predicate() {
        if (acceptSymbol("(")) {
            Expr inner = orExpr();
            expectSymbol(")");
            return inner;
        }
        Token first = peek();
        if (first.kind == Kind.STRING || first.kind == Kind.NUMBER || first.isKeyword("true")
                || first.isKeyword("false") || first.isSymbol("-")) {
            // Temporal parses a literal here, then refuses it, naming the Go type of vitess' node.
            String goType = first.isKeyword("true") || first.isKeyword("false") ? "sqlparser.BoolVal"
                    : "*sqlparser.SQLVal";
            value();
            if (peek().kind == Kind.SYMBOL && COMPARISONS.contains(peek().text)) {
                throw QueryErrors.invalidExpression("must be a column name but was " + goType);
            }
            throw QueryErrors.notSupported("expression of type " + goType);
        }
        String column = columnName();
        if (acceptSymbol("(")) {
            skipToClosingParenthesis();
            return new FunctionCall(column);
        }
        Token token = peek();
        if (token.kind == Kind.SYMBOL && COMPARISONS.contains(token.text)) {
            next++;
            String operator = token.text.equals("<>") ? "!=" : token.text;
            return new Comparison(column, operator, value());
        }
        if (accept("is")) {
            boolean not = accept("not");
            if (accept("null")) {
                return new Is(column, not);
            }
            if (accept("true") || accept("false")) {
                throw QueryErrors.invalidExpression("'IS' operator can only be used as 'IS NULL' or 'IS NOT NULL'");
            }
            throw syntaxError(peek());
        }
        boolean not = accept("not");
        if (accept("in")) {
            return new Comparison(column, not ? "not in" : "in", tuple());
        }
        if (accept("between")) {
            Value from = value();
            expectKeyword("and");
            return new Between(column, not, from, value());
        }
        for (String word : List.of("starts_with", "like", "regexp")) {
            if (accept(word)) {
                return new Comparison(column, not ? "not " + word : word, value());
            }
        }
        if (not) {
            throw syntaxError(peek());
        }
        return new BareColumn(column);
    }

    private Value value() {
        Token token = peek();
        if (token.kind == Kind.STRING) {
            next++;
            return new StringValue(token.text);
        }
        if (token.isSymbol("-") || token.isSymbol("+")) {
            next++;
            Token number = expect(Kind.NUMBER);
            return new NumberValue(token.text.equals("-") ? "-" + number.text : number.text);
        }
        if (token.kind == Kind.NUMBER) {
            next++;
            return new NumberValue(token.text);
        }
        if (accept("true")) {
            return new BoolValue(true);
        }
        if (accept("false")) {
            return new BoolValue(false);
        }
        if (token.kind == Kind.IDENT && !RESERVED.contains(token.text.toLowerCase(Locale.ROOT))
                || token.kind == Kind.QUOTED_IDENT) {
            next++;
            if (acceptSymbol("(")) {
                skipToClosingParenthesis();
                return new FunctionValue(token.text);
            }
            return new ColumnValue(token.text);
        }
        throw syntaxError(token);
    }

    private TupleValue tuple() {
        expectSymbol("(");
        List<Value> values = new ArrayList<>();
        do {
            values.add(value());
        } while (acceptSymbol(","));
        expectSymbol(")");
        return new TupleValue(List.copyOf(values));
    }

    private String columnName() {
        Token token = peek();
        if (token.kind == Kind.QUOTED_IDENT
                || token.kind == Kind.IDENT && !RESERVED.contains(token.text.toLowerCase(Locale.ROOT))) {
            next++;
            return token.text;
        }
        throw syntaxError(token);
    }

    private void skipToClosingParenthesis() {
        int depth = 1;
        while (depth > 0) {
            Token token = peek();
            if (token.kind == Kind.EOF) {
                throw syntaxError(token);
            }
            next++;
            if (token.isSymbol("(")) {
                depth++;
            } else if (token.isSymbol(")")) {
                depth--;
            }
        }
    }

    private Token peek() {
        return tokens.get(next);
    }

    private boolean accept(String keyword) {
        if (peek().isKeyword(keyword)) {
            next++;
            return true;
        }
        return false;
    }

    private boolean acceptSymbol(String symbol) {
        if (peek().isSymbol(symbol)) {
            next++;
            return true;
        }
        return false;
    }

    private void expectKeyword(String keyword) {
        if (!accept(keyword)) {
            throw syntaxError(peek());
        }
    }

    private void expectSymbol(String symbol) {
        if (!acceptSymbol(symbol)) {
            throw syntaxError(peek());
        }
    }

    private Token expect(Kind kind) {
        Token token = peek();
        if (token.kind != kind) {
            throw syntaxError(token);
        }
        next++;
        return token;
    }

    /**
     * Worded as vitess' parser words it: the position just after the offending token, counted in the statement
     * Temporal wraps the query in ({@value #WRAPPER}), and the token, keywords in lower case, punctuation left out.
     */
    private StatusRuntimeException syntaxError(Token token) {
        String message = QueryErrors.MALFORMED + ": syntax error at position " + (WRAPPER.length() + token.end + 1);
        if (token.kind != Kind.EOF && token.kind != Kind.SYMBOL) {
            boolean keyword = token.kind == Kind.IDENT && KEYWORDS.contains(token.text.toLowerCase(Locale.ROOT));
            message += " near '" + (keyword ? token.text.toLowerCase(Locale.ROOT) : token.text) + "'";
        }
        return QueryErrors.invalidQuery(message);
    }

    private List<Token> tokenize(String text) {
        List<Token> result = new ArrayList<>();
        int i = 0;
        int n = text.length();
        while (i < n) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (Character.isLetter(c) || c == '_') {
                int start = i;
                while (i < n && (Character.isLetterOrDigit(text.charAt(i)) || text.charAt(i) == '_'
                        || text.charAt(i) == '.' || text.charAt(i) == '$')) {
                    i++;
                }
                result.add(new Token(Kind.IDENT, text.substring(start, i), i));
            } else if (Character.isDigit(c) || c == '.' && i + 1 < n && Character.isDigit(text.charAt(i + 1))) {
                int start = i;
                while (i < n && (Character.isDigit(text.charAt(i)) || text.charAt(i) == '.')) {
                    i++;
                }
                if (i < n && (text.charAt(i) == 'e' || text.charAt(i) == 'E')) {
                    int mark = i++;
                    if (i < n && (text.charAt(i) == '+' || text.charAt(i) == '-')) {
                        i++;
                    }
                    if (i < n && Character.isDigit(text.charAt(i))) {
                        while (i < n && Character.isDigit(text.charAt(i))) {
                            i++;
                        }
                    } else {
                        i = mark;
                    }
                }
                if (i < n && (Character.isLetter(text.charAt(i)) || text.charAt(i) == '_')) {
                    throw syntaxError(new Token(Kind.NUMBER, text.substring(start, i), i));
                }
                result.add(new Token(Kind.NUMBER, text.substring(start, i), i));
            } else if (c == '\'' || c == '"') {
                i = quoted(text, i, c, Kind.STRING, result);
            } else if (c == ';') {
                // The statement ends here; vitess refuses anything after it, starting with the next token.
                List<Token> rest = tokenize(text.substring(i + 1));
                if (rest.size() > 1) {
                    Token after = rest.get(0);
                    throw syntaxError(new Token(after.kind, after.text, i + 1 + after.end));
                }
                i = n;
            } else if (c == '`') {
                i = quoted(text, i, c, Kind.QUOTED_IDENT, result);
            } else {
                String two = i + 1 < n ? text.substring(i, i + 2) : "";
                String three = i + 2 < n ? text.substring(i, i + 3) : "";
                String symbol;
                if (three.equals("<=>")) {
                    symbol = three;
                } else if (List.of("!=", "<>", "<=", ">=", "||", "&&").contains(two)) {
                    symbol = two;
                } else if ("=<>(),-+!".indexOf(c) >= 0) {
                    symbol = String.valueOf(c);
                } else {
                    throw syntaxError(new Token(Kind.SYMBOL, String.valueOf(c), i + 1));
                }
                i += symbol.length();
                result.add(new Token(Kind.SYMBOL, symbol, i));
            }
        }
        result.add(new Token(Kind.EOF, "", n));
        return result;
    }

    /** MySQL quoting: the quote doubled stands for itself; in strings a backslash escapes the next character. */
    private int quoted(String text, int start, char quote, Kind kind, List<Token> out) {
        StringBuilder value = new StringBuilder();
        int i = start + 1;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == quote) {
                if (i + 1 < text.length() && text.charAt(i + 1) == quote) {
                    value.append(quote);
                    i += 2;
                    continue;
                }
                out.add(new Token(kind, value.toString(), i + 1));
                return i + 1;
            }
            if (c == '\\' && kind == Kind.STRING && i + 1 < text.length()) {
                char escaped = text.charAt(i + 1);
                value.append(switch (escaped) {
                    case 'n' -> '\n';
                    case 't' -> '\t';
                    case 'r' -> '\r';
                    case 'b' -> '\b';
                    case '0' -> '\0';
                    case 'Z' -> '\032';
                    default -> escaped;
                });
                i += 2;
                continue;
            }
            value.append(c);
            i++;
        }
        throw syntaxError(new Token(kind, text.substring(start + 1), text.length()));
    }
}
