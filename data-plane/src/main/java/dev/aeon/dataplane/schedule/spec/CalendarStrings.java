package dev.aeon.dataplane.schedule.spec;

import io.temporal.api.schedule.v1.CalendarSpec;
import io.temporal.api.schedule.v1.Range;
import io.temporal.api.schedule.v1.StructuredCalendarSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A {@link CalendarSpec}'s string fields parsed into a {@link StructuredCalendarSpec}, as Temporal's server parses
 * them: each field is a comma-separated list of {@code *}, {@code x}, {@code x-z}, {@code x/y} (x to the field's
 * maximum by y) or {@code x-z/y}; months and days of week may be names (at least three and two letters of the
 * English name, any case); day of week 7 is Sunday. Empty fields take Temporal's defaults: second, minute and hour
 * 0, the rest {@code *}. Errors are Temporal's words, all fields' errors joined.
 */
final class CalendarStrings {

    static final int MIN_YEAR = 2000;

    private static final String[] MONTHS = {"january", "february", "march", "april", "may", "june", "july",
            "august", "september", "october", "november", "december"};
    private static final String[] DAYS_OF_WEEK = {"sunday", "monday", "tuesday", "wednesday", "thursday", "friday",
            "saturday"};

    private enum Mode { INT, YEAR, MONTH, DAY_OF_WEEK }

    private CalendarStrings() {
    }

    static StructuredCalendarSpec parse(CalendarSpec calendar) {
        List<String> errors = new ArrayList<>();
        StructuredCalendarSpec.Builder structured = StructuredCalendarSpec.newBuilder()
                .addAllSecond(field(calendar.getSecond(), "Second", "0", 0, 59, Mode.INT, errors))
                .addAllMinute(field(calendar.getMinute(), "Minute", "0", 0, 59, Mode.INT, errors))
                .addAllHour(field(calendar.getHour(), "Hour", "0", 0, 23, Mode.INT, errors))
                .addAllDayOfWeek(field(calendar.getDayOfWeek(), "DayOfWeek", "*", 0, 7, Mode.DAY_OF_WEEK, errors))
                .addAllDayOfMonth(field(calendar.getDayOfMonth(), "DayOfMonth", "*", 1, 31, Mode.INT, errors))
                .addAllMonth(field(calendar.getMonth(), "Month", "*", 1, 12, Mode.MONTH, errors))
                .addAllYear(field(calendar.getYear(), "Year", "*", MIN_YEAR, CompiledCalendar.MAX_YEAR, Mode.YEAR,
                        errors))
                .setComment(calendar.getComment());
        if (!errors.isEmpty()) {
            throw new InvalidScheduleSpecException(String.join(", ", errors));
        }
        return structured.build();
    }

    private static List<Range> field(String text, String field, String fallback, int min, int max, Mode mode,
                                     List<String> errors) {
        try {
            return ranges(text, field, fallback, min, max, mode);
        } catch (InvalidScheduleSpecException e) {
            errors.add(e.getMessage());
            return List.of();
        }
    }

    private static List<Range> ranges(String text, String field, String fallback, int min, int max, Mode mode) {
        String s = GoStrings.trimSpace(text);
        if (s.isEmpty()) {
            s = fallback;
        }
        if (s.equals("*") && mode == Mode.YEAR) {
            return List.of(); // every year is the empty list
        }
        List<Range> ranges = new ArrayList<>();
        for (String part : s.split(",", -1)) {
            long step = 1;
            boolean hasStep = false;
            int slashes = count(part, '/');
            if (slashes > 1) {
                throw new InvalidScheduleSpecException(field + " has too many slashes");
            }
            if (slashes == 1) {
                String stepText = part.substring(part.indexOf('/') + 1);
                if (stepText.isEmpty()) {
                    throw new InvalidScheduleSpecException(field + " missing step value");
                }
                part = part.substring(0, part.indexOf('/'));
                step = GoStrings.atoi(stepText);
                if (step < 1) {
                    throw new InvalidScheduleSpecException(field + " has invalid Step");
                }
                hasStep = true;
            }
            int start = min;
            int end = max;
            if (!part.equals("*")) {
                if (part.contains("-")) {
                    if (count(part, '-') > 1) {
                        throw new InvalidScheduleSpecException(field + " has too many dashes");
                    }
                    String[] bounds = part.split("-", 2);
                    start = value(bounds[0], min, max, mode, field + " Start is not in range [" + min + "-" + max + "]");
                    end = value(bounds[1], start, max, mode,
                            field + " End is before Start or not in range [" + min + "-" + max + "]");
                } else {
                    start = value(part, min, max, mode, field + " is not in range [" + min + "-" + max + "]");
                    if (!hasStep) {
                        end = start; // x/y runs to the maximum; a lone x is just x
                    }
                }
            }
            if (mode == Mode.DAY_OF_WEEK && end == 7) {
                // 7 is Sunday, 0 in the structured form: a range reaching 7 loses it and may need a 0 of its own
                if ((7 - start) % step == 0 && (step > 1 || start > 1)) {
                    ranges.add(Range.newBuilder().setStart(0).build());
                    if (start == 7) {
                        continue;
                    }
                }
                end = 6;
            }
            // defaults left unset keep the structured form as small as Temporal's
            ranges.add(Range.newBuilder().setStart(start).setEnd(start == end ? 0 : end)
                    .setStep(step == 1 ? 0 : (int) step).build());
        }
        return ranges;
    }

    /** A number, or in month and day-of-week fields a name prefix, within [min, max]. */
    private static int value(String s, int min, int max, Mode mode, String error) {
        String[] names = mode == Mode.MONTH ? MONTHS : mode == Mode.DAY_OF_WEEK ? DAYS_OF_WEEK : null;
        int shortest = mode == Mode.MONTH ? 3 : 2;
        if (names != null && GoStrings.byteLength(s) >= shortest) {
            String lower = s.toLowerCase(Locale.ROOT);
            for (int i = 0; i < names.length; i++) {
                if (names[i].startsWith(lower)) {
                    int v = mode == Mode.MONTH ? i + 1 : i;
                    if (v < min || v > max) {
                        throw new InvalidScheduleSpecException(error);
                    }
                    return v;
                }
            }
        }
        long v;
        try {
            v = GoStrings.atoi(s);
        } catch (InvalidScheduleSpecException e) {
            throw new InvalidScheduleSpecException(error);
        }
        if (v < min || v > max) {
            throw new InvalidScheduleSpecException(error);
        }
        return (int) v;
    }

    private static int count(String s, char c) {
        return (int) s.chars().filter(x -> x == c).count();
    }
}
