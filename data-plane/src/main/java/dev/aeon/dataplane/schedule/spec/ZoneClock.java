package dev.aeon.dataplane.schedule.spec;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.zone.ZoneRules;

/**
 * Wall-clock times in one time zone, converted as Temporal's server (Go's {@code time} package) converts them, to the
 * second. The difference from {@code java.time} is in the two moments DST makes odd, and calendar matching depends
 * on it:
 * <ul>
 *   <li>a wall time that does not exist (skipped by spring-forward) becomes {@code local - offsetAfter} in zones
 *       west of UTC (2:30 in New York on a spring-forward day reads back as 1:30) and {@code local - offsetBefore}
 *       east of it (2:30 in Berlin reads back as 3:30);</li>
 *   <li>a wall time that happens twice (fall-back) is its first occurrence west of UTC and its second east of it.</li>
 * </ul>
 * Go guesses the offset from the wall time read as UTC and corrects it once (its {@code time.Date}); that is
 * reproduced here over {@code java.time}'s zone rules.
 */
final class ZoneClock {

    static final ZoneClock UTC = new ZoneClock(java.time.ZoneOffset.UTC);

    private final ZoneRules rules;
    private final int fixedOffset;
    private final boolean fixed;

    ZoneClock(ZoneId zone) {
        this.rules = zone.getRules();
        this.fixed = rules.isFixedOffset();
        this.fixedOffset = fixed ? rules.getOffset(Instant.EPOCH).getTotalSeconds() : 0;
    }

    /** Go's {@code time.Date(y, mo, d, h, m, s, 0, zone).Unix()}; {@code h} may be 24 (the next day's midnight). */
    long epochSecond(int year, int month, int day, int hour, int minute, int second) {
        long local = LocalDate.of(year, month, day).toEpochDay() * 86_400 + hour * 3600L + minute * 60L + second;
        int offset = offsetAt(local);
        if (offset != 0) {
            offset = offsetAt(local - offset);
        }
        return local - offset;
    }

    /** The wall clock at an instant, as Go's {@code t.In(zone)} shows it. */
    LocalDateTime wallClock(long epochSecond) {
        return LocalDateTime.ofEpochSecond(epochSecond, 0, java.time.ZoneOffset.ofTotalSeconds(offsetAt(epochSecond)));
    }

    private int offsetAt(long epochSecond) {
        return fixed ? fixedOffset : rules.getOffset(Instant.ofEpochSecond(epochSecond)).getTotalSeconds();
    }
}
