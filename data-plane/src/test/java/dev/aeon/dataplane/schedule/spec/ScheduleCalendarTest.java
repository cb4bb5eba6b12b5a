package dev.aeon.dataplane.schedule.spec;

import io.temporal.api.schedule.v1.CalendarSpec;
import io.temporal.api.schedule.v1.Range;
import io.temporal.api.schedule.v1.ScheduleSpec;
import io.temporal.api.schedule.v1.StructuredCalendarSpec;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Calendar parsing, matching and searching, with the expectations of Temporal's
 * {@code service/worker/scheduler/calendar_test.go} (v1.31.2) unless a test says otherwise.
 */
class ScheduleCalendarTest {

    private static final ZoneId PACIFIC = ZoneId.of("US/Pacific");
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

    private static CompiledCalendar calendar(CalendarSpec spec, ZoneId zone) {
        return new CompiledCalendar(CalendarStrings.parse(spec), new ZoneClock(zone));
    }

    private static long at(ZoneId zone, int y, int mo, int d, int h, int m, int s) {
        return LocalDateTime.of(y, mo, d, h, m, s).atZone(zone).toEpochSecond();
    }

    // calendar_test.go TestCalendarMatch
    @Test
    void matchesTemporalsExamples() {
        CompiledCalendar midnight = calendar(CalendarSpec.getDefaultInstance(), ZoneOffset.UTC);
        assertTrue(midnight.matches(at(ZoneOffset.UTC, 2022, 3, 17, 0, 0, 0)));
        assertTrue(midnight.matches(at(ZoneOffset.UTC, 2022, 3, 18, 0, 0, 0)));
        assertFalse(midnight.matches(at(ZoneOffset.UTC, 2022, 3, 18, 5, 15, 0)));
        assertFalse(midnight.matches(at(PACIFIC, 2022, 3, 17, 0, 0, 0)));
        assertTrue(midnight.matches(at(PACIFIC, 2022, 3, 17, 17, 0, 0)));

        CompiledCalendar everyOtherHour = calendar(CalendarSpec.newBuilder().setMinute("5,9").setHour("*/2").build(),
                ZoneOffset.UTC);
        assertTrue(everyOtherHour.matches(at(ZoneOffset.UTC, 2022, 3, 17, 14, 5, 0)));
        assertFalse(everyOtherHour.matches(at(ZoneOffset.UTC, 2022, 3, 17, 14, 5, 33)));
        assertFalse(everyOtherHour.matches(at(ZoneOffset.UTC, 2022, 3, 17, 14, 15, 0)));
        assertTrue(everyOtherHour.matches(at(PACIFIC, 2022, 3, 18, 3, 9, 0)));
        assertFalse(everyOtherHour.matches(at(ZoneOffset.UTC, 2022, 3, 18, 3, 9, 0)));

        CompiledCalendar wedThu = calendar(wedThursEvenDays(), PACIFIC);
        assertFalse(wedThu.matches(at(PACIFIC, 2022, 3, 9, 5, 55, 55)));
        assertTrue(wedThu.matches(at(PACIFIC, 2022, 3, 10, 5, 55, 55)));
        assertFalse(wedThu.matches(at(PACIFIC, 2022, 3, 14, 5, 55, 55)));
        assertTrue(wedThu.matches(at(PACIFIC, 2022, 3, 16, 5, 55, 55)));
        assertFalse(wedThu.matches(at(PACIFIC, 2022, 2, 9, 5, 55, 55)));
        assertTrue(wedThu.matches(at(PACIFIC, 2022, 2, 10, 5, 55, 55)));
        assertFalse(wedThu.matches(at(PACIFIC, 2022, 2, 10, 1, 55, 55)));
        assertTrue(wedThu.matches(at(ZoneOffset.UTC, 2022, 3, 10, 13, 55, 55)));
        // the offset changes between March 10 and 16
        assertFalse(wedThu.matches(at(ZoneOffset.UTC, 2022, 3, 16, 13, 55, 55)));
        assertTrue(wedThu.matches(at(ZoneOffset.UTC, 2022, 3, 16, 12, 55, 55)));
    }

    // calendar_test.go TestCalendarMatch: the ways to write Sunday
    @Test
    void sundayIsZeroOrSeven() {
        long sunday = at(ZoneOffset.UTC, 2022, 3, 6, 0, 0, 0);
        long saturday = at(ZoneOffset.UTC, 2022, 3, 5, 0, 0, 0);
        long monday = at(ZoneOffset.UTC, 2022, 3, 7, 0, 0, 0);
        for (String dow : List.of("0", "7", "sun", "*", "0-3", "5-7", "5-7/2", "6-7", "2-7/5", "0-7/7", "0/7")) {
            assertTrue(dayOfWeek(dow).matches(sunday), dow);
        }
        for (String dow : List.of("*", "5-7", "6-7", "2/4", "2-7/4")) {
            assertTrue(dayOfWeek(dow).matches(saturday), dow);
        }
        for (String dow : List.of("0", "7", "sun", "5-7", "5-7/2", "6-7", "2-7/5", "0-7/7", "0/7")) {
            assertFalse(dayOfWeek(dow).matches(monday), dow);
        }
    }

    private static CompiledCalendar dayOfWeek(String dow) {
        return calendar(CalendarSpec.newBuilder().setDayOfWeek(dow).build(), ZoneOffset.UTC);
    }

    // calendar_test.go TestParseCronString
    @Test
    void parsesCronStringsIntoTemporalsStructuredForm() {
        CronStrings.Parsed parsed = CronStrings.parse("5,9 */2 * * *");
        assertEquals(StructuredCalendarSpec.newBuilder().addSecond(range(0, 0, 0)).addMinute(range(5, 0, 0))
                .addMinute(range(9, 0, 0)).addHour(range(0, 23, 2)).addDayOfMonth(range(1, 31, 0))
                .addMonth(range(1, 12, 0)).addDayOfWeek(range(0, 6, 0)).build(), parsed.calendar());
        assertEquals("", parsed.timezone());

        InvalidScheduleSpecException year = assertThrows(InvalidScheduleSpecException.class,
                () -> CronStrings.parse("0 1 2 3 4 1999"));
        assertEquals("Year is not in range [2000-2100]", year.getMessage());

        parsed = CronStrings.parse("CRON_TZ=US/Pacific 55 55,57 5 2/2 * wed-thurs *  # explanation");
        assertEquals(StructuredCalendarSpec.newBuilder().addSecond(range(55, 0, 0)).addMinute(range(55, 0, 0))
                .addMinute(range(57, 0, 0)).addHour(range(5, 0, 0)).addDayOfMonth(range(2, 31, 2))
                .addMonth(range(1, 12, 0)).addDayOfWeek(range(3, 4, 0)).setComment("explanation").build(),
                parsed.calendar());
        assertEquals("US/Pacific", parsed.timezone());

        parsed = CronStrings.parse("@monthly");
        assertEquals(StructuredCalendarSpec.newBuilder().addSecond(range(0, 0, 0)).addMinute(range(0, 0, 0))
                .addHour(range(0, 0, 0)).addDayOfMonth(range(1, 0, 0)).addMonth(range(1, 12, 0))
                .addDayOfWeek(range(0, 6, 0)).build(), parsed.calendar());

        parsed = CronStrings.parse("@every 5d");
        assertEquals(5 * 24 * 3600, parsed.interval().getInterval().getSeconds());
        assertFalse(parsed.interval().hasPhase());

        parsed = CronStrings.parse("@every 5h/45m");
        assertEquals(5 * 3600, parsed.interval().getInterval().getSeconds());
        assertEquals(45 * 60, parsed.interval().getPhase().getSeconds());
    }

    // calendar_test.go TestMakeRange
    @Test
    void rangesAndTheirErrors() {
        assertEquals(List.of(range(13, 0, 0)), minutes("13"));
        assertEquals(List.of(range(13, 0, 0), range(18, 0, 0), range(44, 0, 0)), minutes("13,18,44"));
        assertEquals(List.of(range(13, 18, 0)), minutes("13-18"));
        assertEquals(List.of(range(2, 5, 0), range(7, 9, 0), range(11, 0, 0)), minutes("2-5,7-9,11"));
        assertEquals(List.of(range(0, 59, 3)), minutes("*/3"));
        assertEquals(List.of(range(2, 59, 3)), minutes("2/3"));
        assertEquals(List.of(range(2, 6, 4), range(7, 8, 0)), minutes("2-6/4,7-8"));
        assertEquals(List.of(range(9, 0, 0)), CalendarStrings.parse(CalendarSpec.newBuilder().setMonth("Sept")
                .build()).getMonthList());
        assertEquals(List.of(range(1, 5, 0)), CalendarStrings.parse(CalendarSpec.newBuilder()
                .setDayOfWeek("mon-Friday").build()).getDayOfWeekList());

        assertParseError("Minute is not in range [0-59]", CalendarSpec.newBuilder().setMinute("133"));
        assertParseError("Minute is not in range [0-59]", CalendarSpec.newBuilder().setMinute("13,18,44,"));
        assertParseError("Minute End is before Start or not in range [0-59]",
                CalendarSpec.newBuilder().setMinute("1,3,18-13"));
        assertParseError("Minute has too many slashes", CalendarSpec.newBuilder().setMinute("2/3/5"));
        assertParseError("Minute missing step value", CalendarSpec.newBuilder().setMinute("5/"));
        assertParseError("Minute has invalid Step", CalendarSpec.newBuilder().setMinute("*/0"));
        assertParseError("strconv.Atoi: parsing \"x\": invalid syntax", CalendarSpec.newBuilder().setMinute("*/x"));
        assertParseError("DayOfWeek End is before Start or not in range [0-7]",
                CalendarSpec.newBuilder().setDayOfWeek("Fri-Tues"));
        assertParseError("DayOfWeek has too many dashes", CalendarSpec.newBuilder().setDayOfWeek("1-5-7"));
        assertParseError("DayOfWeek End is before Start or not in range [0-7]",
                CalendarSpec.newBuilder().setDayOfWeek("monday-"));
        // every field's error, joined
        assertParseError("Hour is not in range [0-23], Year is not in range [2000-2100]",
                CalendarSpec.newBuilder().setHour("24").setYear("1999"));
        // no last-day-of-month in Temporal's calendars ("TODO: add relative-to-end-of-month" in its proto)
        assertParseError("DayOfMonth is not in range [1-31]", CalendarSpec.newBuilder().setDayOfMonth("L"));
    }

    private static List<Range> minutes(String text) {
        return CalendarStrings.parse(CalendarSpec.newBuilder().setMinute(text).build()).getMinuteList();
    }

    private static void assertParseError(String message, CalendarSpec.Builder spec) {
        assertEquals(message, assertThrows(InvalidScheduleSpecException.class,
                () -> CalendarStrings.parse(spec.build())).getMessage());
    }

    // calendar_test.go TestCalendarNextBasic
    @Test
    void nextWalksFromSecondsToDays() {
        CompiledCalendar cc = calendar(wedThursEvenDays(), PACIFIC);
        long expected = at(PACIFIC, 2022, 3, 2, 5, 55, 55);
        assertEquals(expected, cc.next(at(PACIFIC, 2022, 3, 2, 5, 55, 33)));
        assertEquals(expected, cc.next(at(PACIFIC, 2022, 3, 2, 5, 33, 33)));
        assertEquals(expected, cc.next(at(PACIFIC, 2022, 3, 2, 3, 33, 33)));
        assertEquals(expected, cc.next(at(PACIFIC, 2022, 3, 1, 1, 11, 11)));
        assertEquals(at(PACIFIC, 2022, 3, 10, 5, 55, 55), cc.next(expected));
        // crossing DST, not near it
        assertEquals(at(PACIFIC, 2022, 3, 16, 5, 55, 55), cc.next(at(PACIFIC, 2022, 3, 10, 5, 55, 55)));
    }

    // calendar_test.go TestCalendarNextDST: 2:33:33 does not exist on March 13 2022, 1:33:33 happens twice on
    // November 7 2021
    @Test
    void dstSkipsMissingTimesAndRepeatsDoubledOnes() {
        checkSequence("CRON_TZ=US/Pacific 33 33 2 * * * *", at(PACIFIC, 2022, 3, 11, 20, 0, 0),
                at(PACIFIC, 2022, 3, 12, 2, 33, 33), at(PACIFIC, 2022, 3, 14, 2, 33, 33));
        long firstCopy = at(PACIFIC, 2021, 11, 7, 1, 33, 33); // java.time takes the earlier offset, as Go does here
        checkSequence("CRON_TZ=US/Pacific 33 33,44 1 * * * *", at(PACIFIC, 2021, 11, 7, 0, 15, 15),
                firstCopy, firstCopy + 11 * 60, firstCopy + 3600, firstCopy + 3600 + 11 * 60,
                at(PACIFIC, 2021, 11, 8, 1, 33, 33));
    }

    // The same in New York, 2024 (not from Temporal's tests; derived from the rules above)
    @Test
    void newYorkDst() {
        // March 10 2024 has no 2:30; November 3 2024 has two 1:30s, EDT then EST
        checkSequence("CRON_TZ=America/New_York 30 2 * * *", at(NEW_YORK, 2024, 3, 9, 12, 0, 0),
                at(NEW_YORK, 2024, 3, 11, 2, 30, 0), at(NEW_YORK, 2024, 3, 12, 2, 30, 0));
        long edt = Instant.parse("2024-11-03T05:30:00Z").getEpochSecond();
        checkSequence("CRON_TZ=America/New_York 30 1 * * *", at(NEW_YORK, 2024, 11, 2, 12, 0, 0),
                edt, edt + 3600, at(NEW_YORK, 2024, 11, 4, 1, 30, 0));
        // an hourly calendar fires 23 times on the short day and 25 on the long one
        assertEquals(23, firings("CRON_TZ=America/New_York 0 * * * *", "2024-03-10T05:00:00Z", "2024-03-11T04:00:00Z"));
        assertEquals(25, firings("CRON_TZ=America/New_York 0 * * * *", "2024-11-03T04:00:00Z", "2024-11-04T05:00:00Z"));
    }

    private static int firings(String cron, String from, String until) {
        return CompiledSpec.compile(ScheduleSpec.newBuilder().addCronString(cron).build())
                .matchingTimes("", Instant.parse(from).minusSeconds(1), Instant.parse(until).minusSeconds(1)).size();
    }

    // East of UTC Temporal's search loses firings in the repeated hour; these are Temporal v1.31.2's answers,
    // from running its scheduler package (GetNextTime) on this spec and these instants
    @Test
    void berlinFallBackAsTemporalDoesIt() {
        CompiledSpec every20 = CompiledSpec.compile(ScheduleSpec.newBuilder().setTimezoneName("Europe/Berlin")
                .addCalendar(CalendarSpec.newBuilder().setMinute("*/20").setHour("*")).build());
        assertEquals(Instant.parse("2022-10-30T00:00:00Z"), nominalAfter(every20, "2022-10-29T23:50:00Z"));
        assertEquals(Instant.parse("2022-10-30T01:20:00Z"), nominalAfter(every20, "2022-10-30T00:00:00Z"));
        assertEquals(Instant.parse("2022-10-30T01:40:00Z"), nominalAfter(every20, "2022-10-30T00:25:00Z"));
        assertEquals(Instant.parse("2022-10-30T02:20:00Z"), nominalAfter(every20, "2022-10-30T01:05:00Z"));
    }

    private static Instant nominalAfter(CompiledSpec spec, String after) {
        return spec.nextTime("", Instant.parse(after)).orElseThrow().nominal();
    }

    // calendar_test.go TestCalendarDSTStartInRepeatedHourButNotEnd
    @Test
    void searchStartingInARepeatedHourFindsAnOrdinaryTime() {
        ZoneId london = ZoneId.of("Europe/London");
        CompiledCalendar cc = calendar(CalendarSpec.newBuilder().setSecond("0").setMinute("1").setHour("0")
                .setDayOfMonth("2").setMonth("Jan").setDayOfWeek("Sun").build(), london);
        assertEquals(at(london, 2005, 1, 2, 0, 1, 0), cc.next(at(london, 2004, 1, 1, 0, 0, 5)));
        assertEquals(at(london, 2005, 1, 2, 0, 1, 0), cc.next(at(london, 2004, 10, 31, 1, 7, 3)));
    }

    @Test
    void leapDaysAndDaysSomeMonthsLack() {
        // February 29 fires in leap years only; 2100 is not one, and the search stops after it
        List<Instant> leapDays = CompiledSpec.compile(ScheduleSpec.newBuilder().addCronString("0 0 29 2 *").build())
                .matchingTimes("", Instant.parse("2023-01-01T00:00:00Z"), Instant.parse("2100-12-31T00:00:00Z"));
        assertEquals(19, leapDays.size()); // 2024 ... 2096
        assertEquals(Instant.parse("2024-02-29T00:00:00Z"), leapDays.get(0));
        assertEquals(Instant.parse("2096-02-29T00:00:00Z"), leapDays.get(18));
        // February 30 and 31 never come: no time at all, not an error
        assertEquals(Optional.empty(), CompiledSpec.compile(ScheduleSpec.newBuilder().addCronString("0 0 30,31 2 *")
                .build()).nextTime("", Instant.parse("2023-01-01T00:00:00Z")));
        // the 31st skips the months without one
        assertEquals(List.of(Instant.parse("2024-01-31T00:00:00Z"), Instant.parse("2024-03-31T00:00:00Z"),
                        Instant.parse("2024-05-31T00:00:00Z")),
                CompiledSpec.compile(ScheduleSpec.newBuilder().addCronString("0 0 31 * *").build())
                        .matchingTimes("", Instant.parse("2024-01-01T00:00:00Z"), Instant.parse("2024-06-30T00:00:00Z")));
    }

    @Test
    void stepsListsRangesAndNames() {
        // 9 to 17 every 2 hours on weekdays, in the first week of months named by three letters
        List<Instant> times = CompiledSpec.compile(ScheduleSpec.newBuilder()
                        .addCalendar(CalendarSpec.newBuilder().setHour("9-17/2").setDayOfWeek("mon-fri")
                                .setDayOfMonth("1-7").setMonth("jan,Apr").build()).build())
                .matchingTimes("", Instant.parse("2024-01-01T00:00:00Z"), Instant.parse("2024-01-02T23:00:00Z"));
        assertEquals(List.of("2024-01-01T09:00:00Z", "2024-01-01T11:00:00Z", "2024-01-01T13:00:00Z",
                        "2024-01-01T15:00:00Z", "2024-01-01T17:00:00Z", "2024-01-02T09:00:00Z", "2024-01-02T11:00:00Z",
                        "2024-01-02T13:00:00Z", "2024-01-02T15:00:00Z", "2024-01-02T17:00:00Z"),
                times.stream().map(Instant::toString).toList());
        // January 6 and 7 2024 are a weekend: the next is in April
        assertEquals(Instant.parse("2024-04-01T09:00:00Z"), CompiledSpec.compile(ScheduleSpec.newBuilder()
                        .addCalendar(CalendarSpec.newBuilder().setHour("9-17/2").setDayOfWeek("mon-fri")
                                .setDayOfMonth("1-7").setMonth("jan,Apr").build()).build())
                .nextTime("", Instant.parse("2024-01-05T17:00:00Z")).orElseThrow().nominal());
    }

    /** Temporal's checkSequence: each next time, and from every second before it the same next time. */
    private static void checkSequence(String cron, long start, long... expected) {
        CronStrings.Parsed parsed = CronStrings.parse(cron);
        CompiledCalendar cc = new CompiledCalendar(parsed.calendar(), new ZoneClock(ZoneId.of(parsed.timezone())));
        for (long exp : expected) {
            long next = cc.next(start);
            assertEquals(Instant.ofEpochSecond(exp), Instant.ofEpochSecond(next));
            for (long t = start; t < next; t++) {
                assertEquals(exp, cc.next(t), "from " + Instant.ofEpochSecond(t));
            }
            start = next;
        }
    }

    private static CalendarSpec wedThursEvenDays() {
        return CalendarSpec.newBuilder().setSecond("55").setMinute("55").setHour("5").setDayOfWeek("wed-thurs")
                .setDayOfMonth("2/2").build();
    }

    static Range range(int start, int end, int step) {
        return Range.newBuilder().setStart(start).setEnd(end).setStep(step).build();
    }
}
