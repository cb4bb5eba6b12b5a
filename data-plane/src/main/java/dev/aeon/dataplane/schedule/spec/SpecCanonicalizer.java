package dev.aeon.dataplane.schedule.spec;

import io.temporal.api.schedule.v1.CalendarSpec;
import io.temporal.api.schedule.v1.IntervalSpec;
import io.temporal.api.schedule.v1.Range;
import io.temporal.api.schedule.v1.ScheduleSpec;
import io.temporal.api.schedule.v1.StructuredCalendarSpec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The form Temporal's server keeps a schedule spec in, and its checks. {@code calendar}, {@code exclude_calendar}
 * and {@code cron_string} are input-only: they become structured calendars (appended after the given ones, in that
 * order) and intervals ({@code @every}), a cron string's zone becomes {@code timezone_name}; every structured
 * calendar and interval is then checked. DescribeSchedule shows this form with each range's defaults filled in
 * (end = start, step = 1): {@link #canonical}.
 */
public final class SpecCanonicalizer {

    /** Temporal's {@code maxCommentLen}, in UTF-8 bytes. */
    static final int MAX_COMMENT_BYTES = 200;

    private SpecCanonicalizer() {
    }

    /**
     * The spec as DescribeSchedule shows it after CreateSchedule or UpdateSchedule stored it.
     *
     * @throws InvalidScheduleSpecException if Temporal's server would refuse the spec
     */
    public static ScheduleSpec canonical(ScheduleSpec spec) {
        ScheduleSpec canonical = canonicalize(spec);
        CompiledSpec.zone(canonical); // a spec whose zone cannot be loaded is refused too
        return withDefaultsFilled(canonical);
    }

    /** Temporal's {@code canonicalizeSpec}: input-only fields compiled in, then checked. */
    static ScheduleSpec canonicalize(ScheduleSpec spec) {
        ScheduleSpec.Builder out = spec.toBuilder().clearCalendar().clearExcludeCalendar().clearCronString();
        for (CalendarSpec calendar : spec.getCalendarList()) {
            out.addStructuredCalendar(CalendarStrings.parse(calendar));
        }
        for (CalendarSpec calendar : spec.getExcludeCalendarList()) {
            out.addExcludeStructuredCalendar(CalendarStrings.parse(calendar));
        }
        String cronZone = null;
        for (String cron : spec.getCronStringList()) {
            CronStrings.Parsed parsed = CronStrings.parse(cron);
            if (cronZone != null && !cronZone.equals(parsed.timezone())) {
                // every cron string names the same zone, or none does
                throw new InvalidScheduleSpecException("conflicting timezone names");
            }
            cronZone = parsed.timezone();
            if (parsed.calendar() != null) {
                out.addStructuredCalendar(parsed.calendar());
            }
            if (parsed.interval() != null) {
                out.addInterval(parsed.interval());
            }
        }
        if (cronZone != null && !cronZone.isEmpty()) {
            if (!spec.getTimezoneName().isEmpty() && !spec.getTimezoneName().equals(cronZone)
                    || !spec.getTimezoneData().isEmpty()) {
                throw new InvalidScheduleSpecException("conflicting timezone names");
            }
            out.setTimezoneName(cronZone);
        }
        for (StructuredCalendarSpec calendar : out.getStructuredCalendarList()) {
            checkCalendar(calendar);
        }
        for (IntervalSpec interval : out.getIntervalList()) {
            checkInterval(interval);
        }
        for (StructuredCalendarSpec exclusion : out.getExcludeStructuredCalendarList()) {
            checkExclusion(exclusion);
        }
        return out.build();
    }

    private static void checkCalendar(StructuredCalendarSpec calendar) {
        List<String> errors = new ArrayList<>();
        checkRanges(calendar.getSecondList(), "Second", 0, 59, errors);
        checkRanges(calendar.getMinuteList(), "Minute", 0, 59, errors);
        checkRanges(calendar.getHourList(), "Hour", 0, 23, errors);
        checkRanges(calendar.getDayOfMonthList(), "DayOfMonth", 1, 31, errors);
        checkRanges(calendar.getMonthList(), "Month", 1, 12, errors);
        checkRanges(calendar.getYearList(), "Year", CalendarStrings.MIN_YEAR, CompiledCalendar.MAX_YEAR, errors);
        checkRanges(calendar.getDayOfWeekList(), "DayOfWeek", 0, 6, errors);
        if (calendar.getComment().getBytes(StandardCharsets.UTF_8).length > MAX_COMMENT_BYTES) {
            errors.add("comment is too long");
        }
        if (!errors.isEmpty()) {
            throw new InvalidScheduleSpecException("invalid calendar spec: " + String.join(", ", errors));
        }
    }

    private static void checkRanges(List<Range> ranges, String field, int min, int max, List<String> errors) {
        for (Range r : ranges) {
            if (r.getStart() < min || r.getStart() > max) {
                errors.add(field + " Start is not in range [" + min + "-" + max + "]");
            }
            if (r.getEnd() != 0 && (r.getEnd() < r.getStart() || r.getEnd() > max)) {
                errors.add(field + " End is before Start or not in range [" + min + "-" + max + "]");
            }
            if (r.getStep() < 0) {
                errors.add(field + " has invalid Step");
            }
        }
    }

    /**
     * Temporal does not check exclusion calendars: a value out of its field's range just never matches. A negative
     * value or step crashes or hangs its search (Go panics on a negative shift; a negative step never ends), so
     * those are refused here, in the words of the calendar check.
     */
    private static void checkExclusion(StructuredCalendarSpec exclusion) {
        List<String> errors = new ArrayList<>();
        List<List<Range>> fields = List.of(exclusion.getSecondList(), exclusion.getMinuteList(),
                exclusion.getHourList(), exclusion.getDayOfMonthList(), exclusion.getMonthList(),
                exclusion.getYearList(), exclusion.getDayOfWeekList());
        String[] names = {"Second", "Minute", "Hour", "DayOfMonth", "Month", "Year", "DayOfWeek"};
        for (int i = 0; i < names.length; i++) {
            for (Range r : fields.get(i)) {
                if (r.getStart() < 0 || r.getEnd() < 0) {
                    errors.add(names[i] + " of an exclusion is negative");
                }
                if (r.getStep() < 0) {
                    errors.add(names[i] + " of an exclusion has invalid Step");
                }
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidScheduleSpecException("invalid calendar spec: " + String.join(", ", errors));
        }
    }

    private static void checkInterval(IntervalSpec interval) {
        long every = GoDurations.nanos(interval.getInterval());
        long phase = GoDurations.nanos(interval.getPhase());
        if (every < 1_000_000_000L) {
            throw new InvalidScheduleSpecException("interval is too small");
        } else if (phase < 0) {
            throw new InvalidScheduleSpecException("phase is negative");
        } else if (phase >= every) {
            throw new InvalidScheduleSpecException("phase cannot be greater than Interval");
        }
    }

    /** Temporal's {@code CleanSpec}: each range's end at least its start, its step at least 1. */
    static ScheduleSpec withDefaultsFilled(ScheduleSpec spec) {
        ScheduleSpec.Builder out = spec.toBuilder().clearStructuredCalendar().clearExcludeStructuredCalendar();
        UnaryOperator<StructuredCalendarSpec> fill = calendar -> StructuredCalendarSpec.newBuilder(calendar)
                .clearSecond().addAllSecond(filled(calendar.getSecondList()))
                .clearMinute().addAllMinute(filled(calendar.getMinuteList()))
                .clearHour().addAllHour(filled(calendar.getHourList()))
                .clearDayOfMonth().addAllDayOfMonth(filled(calendar.getDayOfMonthList()))
                .clearMonth().addAllMonth(filled(calendar.getMonthList()))
                .clearYear().addAllYear(filled(calendar.getYearList()))
                .clearDayOfWeek().addAllDayOfWeek(filled(calendar.getDayOfWeekList()))
                .build();
        spec.getStructuredCalendarList().forEach(c -> out.addStructuredCalendar(fill.apply(c)));
        spec.getExcludeStructuredCalendarList().forEach(c -> out.addExcludeStructuredCalendar(fill.apply(c)));
        return out.build();
    }

    private static List<Range> filled(List<Range> ranges) {
        return ranges.stream().map(r -> Range.newBuilder().setStart(r.getStart())
                .setEnd(Math.max(r.getEnd(), r.getStart())).setStep(r.getStep() == 0 ? 1 : r.getStep()).build())
                .toList();
    }
}
