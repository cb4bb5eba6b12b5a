package dev.aeon.dataplane.visibility.query;

import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The value syntaxes Temporal accepts in queries, read as Go reads them. */
public final class QueryValues {

    /** Go's time.RFC3339Nano as time.Parse accepts it: seconds required, fraction optional, Z or an offset. */
    private static final Pattern RFC3339 = Pattern.compile(
            "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?(Z|[+-]\\d{2}:\\d{2})");
    /** Go's time.ParseDuration, plus "d" for days as Temporal's timestamp.ParseDuration adds. */
    private static final Pattern GO_DURATION =
            Pattern.compile("([+-]?)((?:(?:\\d+\\.?\\d*|\\.\\d+)(?:ns|us|µs|ms|s|m|h|d))+|0)");
    private static final Pattern GO_DURATION_PART = Pattern.compile("(\\d+\\.?\\d*|\\.\\d+)(ns|us|µs|ms|s|m|h|d)");
    private static final Pattern HH_MM_SS = Pattern.compile("(\\d+):([0-5]\\d):([0-5]\\d)");

    private QueryValues() {
    }

    public static Optional<Instant> parseDatetime(String text) {
        if (!RFC3339.matcher(text).matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(OffsetDateTime.parse(text).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** Nanoseconds as an integer, a Go duration ("1h30m", "1.5s", "2d") or "hh:mm:ss". */
    public static Optional<Long> parseDurationNanos(String text) {
        try {
            return Optional.of(Long.parseLong(text));
        } catch (NumberFormatException notNanos) {
            // a duration in another form
        }
        Matcher go = GO_DURATION.matcher(text);
        if (go.matches()) {
            BigDecimal total = BigDecimal.ZERO;
            Matcher part = GO_DURATION_PART.matcher(go.group(2));
            while (part.find()) {
                long unit = switch (part.group(2)) {
                    case "ns" -> 1L;
                    case "us", "µs" -> 1_000L;
                    case "ms" -> 1_000_000L;
                    case "s" -> 1_000_000_000L;
                    case "m" -> 60_000_000_000L;
                    case "h" -> 3_600_000_000_000L;
                    default -> 86_400_000_000_000L;
                };
                total = total.add(new BigDecimal(part.group(1)).multiply(BigDecimal.valueOf(unit)));
            }
            if (go.group(1).equals("-")) {
                total = total.negate();
            }
            try {
                return Optional.of(total.longValueExact());
            } catch (ArithmeticException e) {
                return total.abs().compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0 ? Optional.empty()
                        : Optional.of(total.longValue());
            }
        }
        Matcher hms = HH_MM_SS.matcher(text);
        if (hms.matches()) {
            return Optional.of(((Long.parseLong(hms.group(1)) * 60 + Long.parseLong(hms.group(2))) * 60
                    + Long.parseLong(hms.group(3))) * 1_000_000_000L);
        }
        return Optional.empty();
    }

    /** "Running", "ContinuedAsNew" ... as Temporal's Go enum prints it, or the full proto name. */
    public static Optional<WorkflowExecutionStatus> executionStatus(String name) {
        for (WorkflowExecutionStatus status : WorkflowExecutionStatus.values()) {
            if (status != WorkflowExecutionStatus.UNRECOGNIZED
                    && (statusName(status).equals(name) || status.name().equals(name))) {
                return Optional.of(status);
            }
        }
        return Optional.empty();
    }

    /** WORKFLOW_EXECUTION_STATUS_CONTINUED_AS_NEW is "ContinuedAsNew", as Go's enum String() prints it. */
    public static String statusName(WorkflowExecutionStatus status) {
        return shorthand(status.name(), "WORKFLOW_EXECUTION_STATUS_");
    }

    /** INDEXED_VALUE_TYPE_KEYWORD_LIST is "KeywordList", the name Temporal's messages and payloads use. */
    public static String typeName(IndexedValueType type) {
        return shorthand(type.name(), "INDEXED_VALUE_TYPE_");
    }

    private static String shorthand(String enumName, String prefix) {
        StringBuilder name = new StringBuilder();
        for (String word : enumName.substring(prefix.length()).split("_")) {
            name.append(word.charAt(0)).append(word.substring(1).toLowerCase(Locale.ROOT));
        }
        return name.toString();
    }
}
