package dev.aeon.dataplane.history.run;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import dev.aeon.dataplane.errors.ApiErrors;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Temporal's cron schedules: a standard five-field expression in UTC (or {@code @hourly}-style nicknames), or
 * {@code @every <duration>}. A run of a cron workflow starts at the next matching time after the previous run
 * closed.
 */
final class CronSchedules {

    private static final CronParser UNIX = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
    private static final Pattern EVERY = Pattern.compile("@every\\s+((\\d+(ns|us|ms|s|m|h))+)");
    private static final Pattern PART = Pattern.compile("(\\d+)(ns|us|ms|s|m|h)");

    private CronSchedules() {
    }

    /** INVALID_ARGUMENT naming the field when the schedule cannot be parsed. */
    static void validate(String schedule) {
        if (!schedule.isEmpty()) {
            backoffMillis(schedule, System.currentTimeMillis());
        }
    }

    /** Milliseconds from {@code nowMillis} to the schedule's next time strictly after it. */
    static long backoffMillis(String schedule, long nowMillis) {
        String trimmed = schedule.trim();
        Matcher every = EVERY.matcher(trimmed);
        if (every.matches()) {
            long interval = 0;
            Matcher part = PART.matcher(every.group(1));
            while (part.find()) {
                long n = Long.parseLong(part.group(1));
                interval += switch (part.group(2)) {
                    case "h" -> Duration.ofHours(n).toMillis();
                    case "m" -> Duration.ofMinutes(n).toMillis();
                    case "s" -> Duration.ofSeconds(n).toMillis();
                    case "ms" -> n;
                    default -> 0;
                };
            }
            if (interval <= 0) {
                throw ApiErrors.invalidArgument("cron_schedule: @every needs a positive duration, was " + schedule);
            }
            // @every counts from the epoch, so runs line up on multiples of the interval.
            return interval - Math.floorMod(nowMillis, interval);
        }
        try {
            ZonedDateTime now = Instant.ofEpochMilli(nowMillis).atZone(ZoneOffset.UTC);
            return ExecutionTime.forCron(UNIX.parse(trimmed)).nextExecution(now)
                    .map(next -> Duration.between(now, next).toMillis())
                    .orElseThrow(() -> ApiErrors.invalidArgument("cron_schedule: " + schedule + " never fires"));
        } catch (IllegalArgumentException e) {
            throw ApiErrors.invalidArgument("cron_schedule: invalid cron expression " + schedule + ": " + e.getMessage());
        }
    }
}
