package dev.aeon.dataplane.schedule.spec;

import io.temporal.api.schedule.v1.Range;
import io.temporal.api.schedule.v1.StructuredCalendarSpec;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.BitSet;
import java.util.List;

/**
 * One structured calendar in one time zone: which wall-clock times it matches, and the next one after an instant,
 * to the second.
 *
 * <p>The search is Temporal's ({@code compiledCalendar.next}): wall-clock fields are tried from the year inwards,
 * each wall time is converted as Go converts it ({@link ZoneClock}), and DST comes out as Temporal's server does it:
 * <ul>
 *   <li>a matching wall time that does not exist (spring-forward) is skipped with the rest of its hour: a calendar
 *       at 2:30 does not fire in New York on the day clocks jump from 2:00 to 3:00. Go reads such a time back in
 *       another hour; where it reads back in the same hour (a 30-minute shift like Lord Howe's), the shifted time
 *       is taken;</li>
 *   <li>a repeated hour (fall-back) is searched twice when the search walks into it minute by minute from the hour
 *       before, and a search that starts inside the second copy stays in it: in New York a calendar at 1:30 fires
 *       at 1:30 EDT and again at 1:30 EST. East of UTC Go resolves a repeated wall time to its second occurrence,
 *       so there a time in the repeated hour fires once, at the second occurrence, unless the search walks in from
 *       the hour before; and a search starting in the second copy adds its hour to a time that already is in the
 *       second copy. So Temporal loses firings there: every 20 minutes in Berlin on 2022-10-30 fires at 00:00Z
 *       (2:00 CEST), then 01:20Z, and from 01:05Z next at 02:20Z (Temporal v1.31.2, checked by running it). Aeon
 *       does the same, for the same times on both;</li>
 *   <li>the day of week is the one of Go's instant for the wall time, which differs from the calendar date's only
 *       for a time skipped at midnight.</li>
 * </ul>
 */
final class CompiledCalendar {

    static final long NONE = Long.MAX_VALUE;
    /** Temporal stops looking for calendar times after this year. */
    static final int MAX_YEAR = 2100;

    private final ZoneClock clock;
    private final long seconds;
    private final long minutes;
    private final long hours;
    private final long daysOfMonth;
    private final long months;
    private final long daysOfWeek;
    /** null: every year (an empty year list). */
    private final BitSet years;

    CompiledCalendar(StructuredCalendarSpec spec, ZoneClock clock) {
        this.clock = clock;
        this.seconds = bits(spec.getSecondList());
        this.minutes = bits(spec.getMinuteList());
        this.hours = bits(spec.getHourList());
        this.daysOfMonth = bits(spec.getDayOfMonthList());
        this.months = bits(spec.getMonthList());
        this.daysOfWeek = bits(spec.getDayOfWeekList());
        this.years = spec.getYearCount() == 0 ? null : yearSet(spec.getYearList());
    }

    boolean matches(long epochSecond) {
        LocalDateTime t = clock.wallClock(epochSecond);
        return year(t.getYear()) && has(months, t.getMonthValue()) && has(daysOfMonth, t.getDayOfMonth())
                && has(daysOfWeek, t.getDayOfWeek().getValue() % 7) && has(hours, t.getHour())
                && has(minutes, t.getMinute()) && has(seconds, t.getSecond());
    }

    /** The first matching instant after {@code after} (epoch seconds), or {@link #NONE} up to {@link #MAX_YEAR}. */
    long next(long after) {
        if (seconds == 0 || minutes == 0 || hours == 0 || daysOfMonth == 0 || months == 0 || daysOfWeek == 0) {
            return NONE; // an empty field matches nothing; Temporal finds that out by searching until 2100
        }
        LocalDateTime start = clock.wallClock(after);
        int y = start.getYear();
        int mo = start.getMonthValue();
        int d = start.getDayOfMonth();
        int h = start.getHour();
        int m = start.getMinute();
        int s = start.getSecond() + 1;
        // Non-zero while searching the second copy of a repeated hour: results are the first copy's plus this.
        long repeat = clock.wallClock(after - 3600).getHour() == h ? 3600 : 0;
        search:
        while (true) {
            if (s >= 60) {
                m++;
                s = 0;
            }
            if (m >= 60) {
                long hourStart = clock.epochSecond(y, mo, d, h, 0, 0);
                h++;
                m = 0;
                // An hour longer than an hour holds a repeated one: search it again, an hour later.
                if (repeat == 0 && clock.epochSecond(y, mo, d, h, 0, 0) - hourStart > 3600) {
                    h--;
                    repeat = 3600;
                } else {
                    repeat = 0;
                }
            }
            if (h >= 24) {
                d++;
                h = 0;
            }
            if (d > daysInMonth(mo, y)) {
                mo++;
                d = 1;
            }
            if (mo > 12) {
                y++;
                mo = 1;
            }
            if (y > MAX_YEAR) {
                return NONE;
            }
            if (!year(y)) {
                y++;
                mo = 1;
                d = 1;
                h = m = s = 0;
                repeat = 0;
                continue;
            }
            int month = nextBit(months, mo, 12);
            if (month != mo) {
                d = 1;
                h = m = s = 0;
                repeat = 0;
                if (month < 0) {
                    mo = 13;
                    continue;
                }
                mo = month;
            }
            while (!has(daysOfMonth, d) || !has(daysOfWeek, weekday(y, mo, d, h, m, s))) {
                d++;
                h = m = s = 0;
                repeat = 0;
                if (d > daysInMonth(mo, y)) {
                    continue search;
                }
            }
            int hour = nextBit(hours, h, 23);
            if (hour != h) {
                m = s = 0;
                repeat = 0;
                if (hour < 0) {
                    h = 24;
                    continue;
                }
                h = hour;
            }
            int minute = nextBit(minutes, m, 59);
            if (minute != m) {
                s = 0;
                if (minute < 0) {
                    m = 60;
                    continue;
                }
                m = minute;
            }
            int second = nextBit(seconds, s, 59);
            if (second != s) {
                if (second < 0) {
                    s = 60;
                    continue;
                }
                s = second;
            }
            long found = clock.epochSecond(y, mo, d, h, m, s);
            if (clock.wallClock(found).getHour() != h) {
                // skipped by a DST jump: Go reads it back in another hour
                h++;
                m = s = 0;
                continue;
            }
            return found + repeat;
        }
    }

    private int weekday(int y, int mo, int d, int h, int m, int s) {
        return clock.wallClock(clock.epochSecond(y, mo, d, h, m, s)).getDayOfWeek().getValue() % 7;
    }

    private boolean year(int y) {
        return years == null || (y >= 0 && years.get(y));
    }

    private static boolean has(long bits, int value) {
        return (bits >>> value & 1) != 0;
    }

    /** The smallest set value in [from, last], or -1. */
    private static int nextBit(long bits, int from, int last) {
        long candidates = bits & (-1L << from);
        if (candidates == 0) {
            return -1;
        }
        int value = Long.numberOfTrailingZeros(candidates);
        return value <= last ? value : -1;
    }

    static int daysInMonth(int month, int year) {
        return month > 12 ? 31 : LocalDate.of(year, month, 1).lengthOfMonth();
    }

    /**
     * The values of ranges that can matter as bits: Go's {@code 1 << v} on a uint64 drops values of 64 and more,
     * which only unchecked exclusion calendars can hold.
     */
    private static long bits(List<Range> ranges) {
        long bits = 0;
        for (Range r : ranges) {
            int step = r.getStep() == 0 ? 1 : r.getStep();
            long end = Math.min(Math.max(r.getEnd(), r.getStart()), 63);
            for (long v = r.getStart(); v <= end; v += step) {
                bits |= 1L << v;
            }
        }
        return bits;
    }

    /** Years past {@link #MAX_YEAR} are never searched, so ranges are walked only up to it. */
    private static BitSet yearSet(List<Range> ranges) {
        BitSet set = new BitSet(MAX_YEAR + 2);
        for (Range r : ranges) {
            int step = r.getStep() == 0 ? 1 : r.getStep();
            long end = Math.min(Math.max(r.getEnd(), r.getStart()), MAX_YEAR + 1L);
            for (long v = r.getStart(); v <= end; v += step) {
                set.set((int) v);
            }
        }
        return set;
    }
}
