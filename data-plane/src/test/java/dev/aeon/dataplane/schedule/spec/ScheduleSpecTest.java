package dev.aeon.dataplane.schedule.spec;

import com.google.protobuf.Duration;
import com.google.protobuf.Timestamp;
import io.grpc.Status;
import io.temporal.api.schedule.v1.CalendarSpec;
import io.temporal.api.schedule.v1.IntervalSpec;
import io.temporal.api.schedule.v1.ScheduleSpec;
import io.temporal.api.schedule.v1.StructuredCalendarSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

import static dev.aeon.dataplane.schedule.spec.ScheduleCalendarTest.range;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Whole specs: canonical form, checks, intervals, exclusions, bounds and jitter, with the expectations (to the
 * millisecond of jitter) of Temporal's {@code service/worker/scheduler/spec_test.go} (v1.31.2) unless a test says
 * otherwise.
 */
class ScheduleSpecTest {

    private static final StructuredCalendarSpec AT_23_PAST_5_AND_7 = StructuredCalendarSpec.newBuilder()
            .addSecond(range(0, 0, 0)).addMinute(range(23, 0, 0)).addHour(range(5, 0, 0)).addHour(range(7, 0, 0))
            .addDayOfMonth(range(1, 31, 0)).addMonth(range(1, 12, 0)).addDayOfWeek(range(0, 6, 0)).build();

    // spec_test.go TestCanonicalize
    @Test
    void canonicalizesLikeTemporal() {
        assertEquals(ScheduleSpec.getDefaultInstance(), SpecCanonicalizer.canonicalize(ScheduleSpec.getDefaultInstance()));
        assertEquals(ScheduleSpec.newBuilder().addInterval(interval(43 * 3600, 0)).build(),
                SpecCanonicalizer.canonicalize(ScheduleSpec.newBuilder().addCronString("@every 43h").build()));
        assertEquals(ScheduleSpec.newBuilder().addStructuredCalendar(AT_23_PAST_5_AND_7).build(),
                SpecCanonicalizer.canonicalize(ScheduleSpec.newBuilder()
                        .addCalendar(CalendarSpec.newBuilder().setHour("5,7").setMinute("23")).build()));
        // no zone in the cron string: the spec's stays
        ScheduleSpec withZone = ScheduleSpec.newBuilder().addCronString("23 5,7 * * *").setJitter(seconds(300))
                .setStartTime(Timestamp.newBuilder().setSeconds(Instant.parse("2022-03-23T00:00:00Z").getEpochSecond()))
                .setTimezoneName("Europe/London").build();
        assertEquals(withZone.toBuilder().clearCronString().addStructuredCalendar(AT_23_PAST_5_AND_7).build(),
                SpecCanonicalizer.canonicalize(withZone));
        // the same zone in both is fine
        assertEquals(ScheduleSpec.newBuilder().addStructuredCalendar(AT_23_PAST_5_AND_7).setTimezoneName("Europe/London")
                        .build(),
                SpecCanonicalizer.canonicalize(ScheduleSpec.newBuilder()
                        .addCronString("CRON_TZ=Europe/London 23 5,7 * * *").setTimezoneName("Europe/London").build()));
        // a cron string's zone becomes the spec's
        assertEquals("Asia/Tokyo", SpecCanonicalizer.canonicalize(ScheduleSpec.newBuilder()
                .addCronString("TZ=Asia/Tokyo @daily").build()).getTimezoneName());
    }

    // spec_test.go TestCanonicalize: the refusals, with Temporal's words
    @Test
    void refusesWhatTemporalRefuses() {
        assertRefused("interval is too small", ScheduleSpec.newBuilder().addInterval(interval(-43 * 3600, 0)));
        assertRefused("phase cannot be greater than Interval",
                ScheduleSpec.newBuilder().addInterval(interval(3 * 3600, 4 * 3600)));
        assertRefused("phase is negative", ScheduleSpec.newBuilder().addInterval(interval(3600, -1)));
        String[] messages = {
                "Second Start is not in range [0-59]", "Second Start is not in range [0-59]",
                "Second End is before Start or not in range [0-59]", "Second has invalid Step",
                "Minute Start is not in range [0-59]", "Hour End is before Start or not in range [0-23]",
                "Hour Start is not in range [0-23], Hour End is before Start or not in range [0-23]",
                "Hour End is before Start or not in range [0-23]", "DayOfMonth Start is not in range [1-31]",
                "DayOfMonth Start is not in range [1-31], DayOfMonth End is before Start or not in range [1-31]",
                "Month Start is not in range [1-12]",
                "Month Start is not in range [1-12], Month End is before Start or not in range [1-12]",
                "DayOfWeek Start is not in range [0-6]", "DayOfWeek End is before Start or not in range [0-6]",
                "Year Start is not in range [2000-2100]", "Year Start is not in range [2000-2100]"};
        List<StructuredCalendarSpec.Builder> calendars = List.of(
                StructuredCalendarSpec.newBuilder().addSecond(range(100, 0, 0)),
                StructuredCalendarSpec.newBuilder().addSecond(range(-3, 0, 0)),
                StructuredCalendarSpec.newBuilder().addSecond(range(30, 60, 0)),
                StructuredCalendarSpec.newBuilder().addSecond(range(30, 40, -3)),
                StructuredCalendarSpec.newBuilder().addMinute(range(60, 0, 0)),
                StructuredCalendarSpec.newBuilder().addHour(range(0, 24, 0)),
                StructuredCalendarSpec.newBuilder().addHour(range(24, 26, 0)),
                StructuredCalendarSpec.newBuilder().addHour(range(16, 12, 0)),
                StructuredCalendarSpec.newBuilder().addDayOfMonth(range(0, 0, 0)),
                StructuredCalendarSpec.newBuilder().addDayOfMonth(range(0, 33, 0)),
                StructuredCalendarSpec.newBuilder().addMonth(range(0, 0, 0)),
                StructuredCalendarSpec.newBuilder().addMonth(range(0, 13, 0)),
                StructuredCalendarSpec.newBuilder().addDayOfWeek(range(7, 0, 0)),
                StructuredCalendarSpec.newBuilder().addDayOfWeek(range(6, 7, 0)),
                StructuredCalendarSpec.newBuilder().addYear(range(1999, 0, 0)),
                StructuredCalendarSpec.newBuilder().addYear(range(2112, 0, 0)));
        for (int i = 0; i < messages.length; i++) {
            assertRefused("invalid calendar spec: " + messages[i],
                    ScheduleSpec.newBuilder().addStructuredCalendar(calendars.get(i)));
        }
        assertRefused("conflicting timezone names", ScheduleSpec.newBuilder()
                .addCronString("CRON_TZ=America/New_York 23 5,7 * * *").setTimezoneName("Europe/London"));
        assertRefused("conflicting timezone names", ScheduleSpec.newBuilder()
                .addCronString("CRON_TZ=Europe/London 23 5,7 * * *").addCronString("CRON_TZ=America/New_York 23 5,7 * * *"));
        assertRefused("conflicting timezone names", ScheduleSpec.newBuilder()
                .addCronString("CRON_TZ=Europe/London 23 5,7 * * *").addCronString("23 5,7 * * *"));
        assertRefused("conflicting timezone names", ScheduleSpec.newBuilder()
                .addCronString("23 5,7 * * *").addCronString("CRON_TZ=Europe/London 23 5,7 * * *"));
        // beyond Temporal's test file, in Go's and Temporal's words
        assertRefused("CronString does not have 5-7 fields", ScheduleSpec.newBuilder().addCronString("* * * *"));
        assertRefused("CronString has time zone but missing fields", ScheduleSpec.newBuilder().addCronString("TZ=UTC"));
        assertRefused("CronString does not have interval after @every", ScheduleSpec.newBuilder().addCronString("@every"));
        assertRefused("time: missing unit in duration \"10\"", ScheduleSpec.newBuilder().addCronString("@every 10"));
        assertRefused("time: unknown unit \"q\" in duration \"3q\"", ScheduleSpec.newBuilder().addCronString("@every 3q"));
        assertRefused("time: invalid duration \"x\"", ScheduleSpec.newBuilder().addCronString("@every x"));
        assertRefused("invalid calendar spec: comment is too long", ScheduleSpec.newBuilder()
                .addStructuredCalendar(StructuredCalendarSpec.newBuilder().setComment("x".repeat(201))));
        assertRefused("unknown time zone Mars/Olympus", ScheduleSpec.newBuilder().setTimezoneName("Mars/Olympus"));
        assertRefused("unknown time zone +02:00", ScheduleSpec.newBuilder().setTimezoneName("+02:00"));
        // Aeon's own: zone definitions come by name only
        assertRefused("timezone_data is not supported: Aeon loads time zones by name; set timezone_name to an IANA "
                + "time zone instead", ScheduleSpec.newBuilder().setTimezoneData(com.google.protobuf.ByteString
                .copyFromUtf8("TZif2")));
    }

    // Go's time.LoadLocation finds every name of the tz database, the old abbreviations too
    @Test
    void zonesByTheirTzDatabaseNames() {
        for (String zone : List.of("", "UTC", "Local", "US/Pacific", "Etc/GMT+5", "EST5EDT", "EST", "MST", "HST",
                "GMT+0", "Zulu")) {
            CompiledSpec.compile(ScheduleSpec.newBuilder().setTimezoneName(zone).addCronString("@daily").build());
        }
        // EST is a fixed UTC-5 (America/Panama), not New York's time
        assertEquals(Instant.parse("2024-07-01T05:00:00Z"), CompiledSpec.compile(ScheduleSpec.newBuilder()
                        .setTimezoneName("EST").addCronString("@daily").build())
                .nextTime("", Instant.parse("2024-06-30T12:00:00Z")).orElseThrow().nominal());
    }

    @Test
    void refusalIsInvalidArgumentWithTemporalsPrefix() {
        InvalidScheduleSpecException refused = assertThrows(InvalidScheduleSpecException.class,
                () -> CompiledSpec.compile(ScheduleSpec.newBuilder().addCronString("* * * *").build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, refused.toApiError().getStatus().getCode());
        assertEquals("Invalid schedule spec: CronString does not have 5-7 fields",
                refused.toApiError().getStatus().getDescription());
    }

    @Test
    void describeShowsRangesWithTheirDefaultsFilledIn() {
        ScheduleSpec canonical = SpecCanonicalizer.canonical(ScheduleSpec.newBuilder()
                .addCronString("CRON_TZ=Europe/London 23 5,7 * * * # twice").build());
        StructuredCalendarSpec calendar = canonical.getStructuredCalendar(0);
        assertEquals(List.of(range(23, 23, 1)), calendar.getMinuteList());
        assertEquals(List.of(range(5, 5, 1), range(7, 7, 1)), calendar.getHourList());
        assertEquals(List.of(range(1, 31, 1)), calendar.getDayOfMonthList());
        assertEquals(List.of(), calendar.getYearList());
        assertEquals("twice", calendar.getComment());
        assertEquals("Europe/London", canonical.getTimezoneName());
        assertEquals(0, canonical.getCronStringCount());
        // canonical again is the same: Describe, then Update with what it showed, changes nothing
        assertEquals(canonical, SpecCanonicalizer.canonical(canonical));
        assertEquals(canonical, CompiledSpec.compile(canonical).canonicalForm());
    }

    // spec_test.go TestSpecIntervalBasic, TestSpecIntervalPhase, TestSpecIntervalMultiple
    @Test
    void intervalsWithPhase() {
        checkNominal(ScheduleSpec.newBuilder().addInterval(interval(90 * 60, 0)), "2022-03-23T12:53:02.000000009Z",
                "2022-03-23T13:30:00Z", "2022-03-23T15:00:00Z", "2022-03-23T16:30:00Z", "2022-03-23T18:00:00Z");
        checkNominal(ScheduleSpec.newBuilder().addInterval(interval(90 * 60, 5 * 60 + 44)),
                "2022-03-23T12:53:02.000000009Z",
                "2022-03-23T13:35:44Z", "2022-03-23T15:05:44Z", "2022-03-23T16:35:44Z", "2022-03-23T18:05:44Z");
        checkNominal(ScheduleSpec.newBuilder().addInterval(interval(90 * 60, 5 * 60 + 44))
                        .addInterval(interval(157 * 60, 22 * 60 + 11)), "2022-03-23T12:53:02.000000009Z",
                "2022-03-23T13:35:44Z", "2022-03-23T15:05:44Z", "2022-03-23T15:26:11Z", "2022-03-23T16:35:44Z",
                "2022-03-23T18:03:11Z", "2022-03-23T18:05:44Z", "2022-03-23T19:35:44Z");
    }

    // spec_test.go TestSpecCalendarBasic, TestSpecCalendarMultiple, TestSpecCalendarAndCron,
    // TestSpecMixedCalendarInterval
    @Test
    void calendarsCronStringsAndIntervalsTogether() {
        checkNominal(ScheduleSpec.newBuilder().addCalendar(CalendarSpec.newBuilder().setHour("5,7").setMinute("23")),
                "2022-03-23T03:00:00Z",
                "2022-03-23T05:23:00Z", "2022-03-23T07:23:00Z", "2022-03-24T05:23:00Z", "2022-03-24T07:23:00Z");
        String[] four = {"2022-03-23T05:23:00Z", "2022-03-23T07:23:00Z", "2022-03-23T11:55:00Z",
                "2022-03-23T13:55:00Z", "2022-03-24T05:23:00Z", "2022-03-24T07:23:00Z", "2022-03-24T11:55:00Z",
                "2022-03-24T13:55:00Z"};
        checkNominal(ScheduleSpec.newBuilder().addCalendar(CalendarSpec.newBuilder().setHour("5,7").setMinute("23"))
                .addCalendar(CalendarSpec.newBuilder().setHour("11,13").setMinute("55")), "2022-03-23T03:00:00Z", four);
        checkNominal(ScheduleSpec.newBuilder().addCalendar(CalendarSpec.newBuilder().setHour("5,7").setMinute("23"))
                .addCronString("55 11,13 * * *"), "2022-03-23T03:00:00Z", four);
        checkNominal(ScheduleSpec.newBuilder().addCalendar(CalendarSpec.newBuilder().setHour("11,13").setMinute("55"))
                        .addInterval(interval(90 * 60, 7 * 60)), "2022-03-23T10:00:00Z",
                "2022-03-23T10:37:00Z", "2022-03-23T11:55:00Z", "2022-03-23T12:07:00Z", "2022-03-23T13:37:00Z",
                "2022-03-23T13:55:00Z", "2022-03-23T15:07:00Z");
    }

    // spec_test.go TestSpecExclude: nominal times in 12:00-14:59 are skipped; jitter to the millisecond
    @Test
    void exclusionsAndJitter() {
        checkActual("", ScheduleSpec.newBuilder().addInterval(interval(90 * 60, 0))
                        .addExcludeCalendar(CalendarSpec.newBuilder().setHour("12-14").setMinute("*").setSecond("*"))
                        .setJitter(seconds(1)), "2022-03-23T08:00:00Z",
                "2022-03-23T09:00:00.235Z", "2022-03-23T10:30:00.139Z", "2022-03-23T15:00:00.089Z",
                "2022-03-23T16:30:00.687Z");
        // exclude_structured_calendar does the same
        checkNominal(ScheduleSpec.newBuilder().addInterval(interval(90 * 60, 0))
                        .addExcludeStructuredCalendar(StructuredCalendarSpec.newBuilder().addSecond(range(0, 59, 0))
                                .addMinute(range(0, 59, 0)).addHour(range(12, 14, 0)).addDayOfMonth(range(1, 31, 0))
                                .addMonth(range(1, 12, 0)).addDayOfWeek(range(0, 6, 0))), "2022-03-23T08:00:00Z",
                "2022-03-23T09:00:00Z", "2022-03-23T10:30:00Z", "2022-03-23T15:00:00Z");
    }

    // spec_test.go TestExcludeAll
    @Test
    void weeklyIntervalWhoseEveryTimeIsExcludedHasNoTime() {
        CompiledSpec spec = CompiledSpec.compile(ScheduleSpec.newBuilder().addInterval(interval(7 * 86_400, 0))
                .addExcludeCalendar(CalendarSpec.newBuilder().setSecond("*").setMinute("*").setHour("*")).build());
        assertEquals(Optional.empty(), spec.nextTime("", Instant.parse("2022-03-23T12:53:02.000000009Z")));
    }

    // Temporal's newer servers bound this search (spec_test.go TestGetNextTimeComputeLimitExceeded); so does Aeon
    @Test
    void searchThroughEndlessExclusionsStops() {
        CompiledSpec spec = CompiledSpec.compile(ScheduleSpec.newBuilder()
                .addCalendar(CalendarSpec.newBuilder().setSecond("*").setMinute("*").setHour("*"))
                .addExcludeCalendar(CalendarSpec.newBuilder().setSecond("*").setMinute("*").setHour("*")).build());
        InvalidScheduleSpecException limit = assertThrows(InvalidScheduleSpecException.class,
                () -> spec.nextTime("", Instant.parse("2022-03-23T12:00:00Z")));
        assertEquals("the schedule calendar specification has too many exclusions. Please modify the specification.",
                limit.getMessage());
    }

    // spec_test.go TestSpecStartTime, TestSpecStartTimeMinusOneSecond, TestSpecEndTime
    @Test
    void startAndEndTime() {
        checkActual("", ScheduleSpec.newBuilder().addInterval(interval(90 * 60, 0))
                        .setStartTime(timestamp("2022-03-23T12:00:00Z")).setJitter(seconds(1)), "2022-03-23T08:00:00Z",
                "2022-03-23T12:00:00.162Z", "2022-03-23T13:30:00.587Z", "2022-03-23T15:00:00.089Z");
        checkActual("", ScheduleSpec.newBuilder().addInterval(interval(3600, 0))
                        .setStartTime(timestamp("2022-03-23T12:00:00.456Z")), "2022-03-23T12:00:00.123Z",
                "2022-03-23T13:00:00Z");
        CompiledSpec ending = CompiledSpec.compile(ScheduleSpec.newBuilder().addInterval(interval(90 * 60, 0))
                .setEndTime(timestamp("2022-03-23T14:00:00Z")).setJitter(seconds(1)).build());
        assertEquals(List.of(Instant.parse("2022-03-23T12:00:00.162Z"), Instant.parse("2022-03-23T13:30:00.587Z")),
                ending.matchingTimes("", Instant.parse("2022-03-23T11:00:00Z"), Instant.parse("2030-01-01T00:00:00Z")));
        assertEquals(Optional.empty(), ending.nextTime("", Instant.parse("2022-03-23T13:30:00.587Z")));
    }

    // spec_test.go TestSpecBoundedJitter, TestSpecJitterSingleRun, TestSpecJitterSeed
    @Test
    void jitterIsBoundedByTheNextTimeAndSeeded() {
        checkActual("", ScheduleSpec.newBuilder().addInterval(interval(90 * 60, 0)).setJitter(seconds(86_400)),
                "2022-03-23T11:00:00Z",
                "2022-03-23T12:14:36.524Z", "2022-03-23T14:22:54.562Z", "2022-03-23T15:08:03.724Z");
        ScheduleSpec.Builder once = ScheduleSpec.newBuilder().addCalendar(CalendarSpec.newBuilder().setHour("13")
                .setMinute("55").setDayOfMonth("7").setMonth("4").setYear("2022"));
        checkActual("", once, "2022-03-23T11:00:00Z", "2022-04-07T13:55:00Z");
        checkActual("", once.setJitter(seconds(3600)), "2022-03-23T11:00:00Z", "2022-04-07T13:57:26.927Z");
        ScheduleSpec.Builder daily = ScheduleSpec.newBuilder().addInterval(interval(86_400, 0)).setJitter(seconds(3600));
        checkActual("", daily, "2022-03-23T11:00:00Z", "2022-03-24T00:35:24.276Z");
        checkActual("seed-1", daily, "2022-03-23T11:00:00Z", "2022-03-24T00:06:12.519Z");
        checkActual("seed-2", daily, "2022-03-23T11:00:00Z", "2022-03-24T00:39:16.922Z");
    }

    // Temporal's ListScheduleMatchingTimes stops at 1,000 times
    @Test
    void matchingTimesStopsAtAThousand() {
        CompiledSpec everySecond = CompiledSpec.compile(ScheduleSpec.newBuilder().addInterval(interval(1, 0)).build());
        List<Instant> times = everySecond.matchingTimes("", Instant.parse("2024-01-01T00:00:00Z"),
                Instant.parse("2024-01-02T00:00:00Z"));
        assertEquals(CompiledSpec.MAX_MATCHING_TIMES, times.size());
        assertEquals(Instant.parse("2024-01-01T00:00:01Z"), times.get(0));
        assertEquals(Instant.parse("2024-01-01T00:16:40Z"), times.get(999));
    }

    @Test
    void jitterSeedIsNamespaceIdAndScheduleId() {
        assertEquals("ns-id-my-schedule", CompiledSpec.jitterSeed("ns-id", "my-schedule"));
    }

    private static void checkNominal(ScheduleSpec.Builder spec, String after, String... expected) {
        CompiledSpec compiled = CompiledSpec.compile(spec.build());
        List<String> actual = new ArrayList<>();
        Instant t = Instant.parse(after);
        for (int i = 0; i < expected.length; i++) {
            ScheduledTime next = compiled.nextTime("", t).orElseThrow();
            actual.add(next.nominal().toString());
            t = next.nominal();
        }
        assertEquals(List.of(expected), actual);
    }

    private static void checkActual(String seed, ScheduleSpec.Builder spec, String after, String... expected) {
        CompiledSpec compiled = CompiledSpec.compile(spec.build());
        List<Instant> actual = new ArrayList<>();
        Instant t = Instant.parse(after);
        for (int i = 0; i < expected.length; i++) {
            t = compiled.nextTime(seed, t).orElseThrow().actual();
            actual.add(t);
        }
        assertEquals(java.util.Arrays.stream(expected).map(Instant::parse).toList(), actual);
    }

    private static void assertRefused(String reason, ScheduleSpec.Builder spec) {
        assertEquals(reason, assertThrows(InvalidScheduleSpecException.class,
                () -> CompiledSpec.compile(spec.build()), reason).getMessage());
    }

    static IntervalSpec interval(long seconds, long phaseSeconds) {
        IntervalSpec.Builder interval = IntervalSpec.newBuilder().setInterval(seconds(seconds));
        if (phaseSeconds != 0) {
            interval.setPhase(seconds(phaseSeconds));
        }
        return interval.build();
    }

    static Duration seconds(long seconds) {
        return Duration.newBuilder().setSeconds(seconds).build();
    }

    static Timestamp timestamp(String instant) {
        Instant t = Instant.parse(instant);
        return Timestamp.newBuilder().setSeconds(t.getEpochSecond()).setNanos(t.getNano()).build();
    }
}
