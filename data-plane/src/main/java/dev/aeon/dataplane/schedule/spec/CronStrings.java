package dev.aeon.dataplane.schedule.spec;

import io.temporal.api.schedule.v1.CalendarSpec;
import io.temporal.api.schedule.v1.IntervalSpec;
import io.temporal.api.schedule.v1.StructuredCalendarSpec;
import java.util.List;

/**
 * A {@code cron_string} parsed as Temporal's server parses it: an optional {@code TZ=<zone>} or
 * {@code CRON_TZ=<zone>} prefix, an optional {@code # comment}, then either {@code @every <interval>[/<phase>]}
 * (an interval; units as Go durations plus {@code d}), a shorthand ({@code @yearly}, {@code @annually},
 * {@code @monthly}, {@code @weekly}, {@code @daily}, {@code @midnight}, {@code @hourly}) or 5 to 7 fields:
 * minute hour day-of-month month day-of-week [year], or second minute hour day-of-month month day-of-week year.
 * Fields are read as {@link CalendarStrings} reads a calendar's. Day of month and day of week must both match
 * (no classic-cron "or").
 */
final class CronStrings {

    /** What one cron string stands for: a calendar or an interval, and the zone it named ("" for none). */
    record Parsed(StructuredCalendarSpec calendar, IntervalSpec interval, String timezone) {
    }

    private CronStrings() {
    }

    static Parsed parse(String cron) {
        String c = GoStrings.trimSpace(cron);
        String timezone = "";
        if (c.startsWith("TZ=") || c.startsWith("CRON_TZ=")) {
            int space = c.indexOf(' ');
            if (space < 0) {
                throw new InvalidScheduleSpecException("CronString has time zone but missing fields");
            }
            timezone = c.substring(c.indexOf('=') + 1, space);
            c = c.substring(space + 1);
        }
        String comment = "";
        int hash = c.indexOf('#');
        if (hash >= 0) {
            comment = GoStrings.trimSpace(c.substring(hash + 1));
            c = c.substring(0, hash);
        }
        c = GoStrings.trimSpace(c);
        if (c.startsWith("@every")) {
            return new Parsed(null, every(c), ""); // Temporal drops the zone of an @every string
        }
        List<String> fields = GoStrings.fields(shorthand(c));
        CalendarSpec.Builder calendar = CalendarSpec.newBuilder().setComment(comment);
        switch (fields.size()) {
            case 5 -> calendar.setMinute(fields.get(0)).setHour(fields.get(1)).setDayOfMonth(fields.get(2))
                    .setMonth(fields.get(3)).setDayOfWeek(fields.get(4));
            case 6 -> calendar.setMinute(fields.get(0)).setHour(fields.get(1)).setDayOfMonth(fields.get(2))
                    .setMonth(fields.get(3)).setDayOfWeek(fields.get(4)).setYear(fields.get(5));
            case 7 -> calendar.setSecond(fields.get(0)).setMinute(fields.get(1)).setHour(fields.get(2))
                    .setDayOfMonth(fields.get(3)).setMonth(fields.get(4)).setDayOfWeek(fields.get(5))
                    .setYear(fields.get(6));
            default -> throw new InvalidScheduleSpecException("CronString does not have 5-7 fields");
        }
        return new Parsed(CalendarStrings.parse(calendar.build()), null, timezone);
    }

    private static IntervalSpec every(String c) {
        int space = c.indexOf(' ');
        if (space < 0) {
            throw new InvalidScheduleSpecException("CronString does not have interval after @every");
        }
        String interval = c.substring(space + 1);
        String phase = "";
        int slash = interval.indexOf('/');
        if (slash >= 0) {
            phase = interval.substring(slash + 1);
            interval = interval.substring(0, slash);
        }
        IntervalSpec.Builder spec = IntervalSpec.newBuilder()
                .setInterval(GoDurations.toProto(GoDurations.parseNanos(interval)));
        if (!phase.isEmpty()) {
            spec.setPhase(GoDurations.toProto(GoDurations.parseNanos(phase)));
        }
        return spec.build();
    }

    private static String shorthand(String c) {
        return switch (c) {
            case "@yearly", "@annually" -> "0 0 1 1 *";
            case "@monthly" -> "0 0 1 * *";
            case "@weekly" -> "0 0 * * 0";
            case "@daily", "@midnight" -> "0 0 * * *";
            case "@hourly" -> "0 * * * *";
            default -> c;
        };
    }
}
