package dev.aeon.dataplane.schedule.spec;

import io.temporal.api.schedule.v1.CalendarSpec;
import io.temporal.api.schedule.v1.Range;
import io.temporal.api.schedule.v1.ScheduleSpec;
import io.temporal.api.schedule.v1.StructuredCalendarSpec;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

import static dev.aeon.dataplane.schedule.spec.ScheduleSpecTest.interval;
import static dev.aeon.dataplane.schedule.spec.ScheduleSpecTest.seconds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Properties every schedule spec keeps, over seeded random specs (the seed is in each failure message, so a failure
 * replays): successive times strictly increase; ListScheduleMatchingTimes is exactly "next time" repeated; no time
 * is excluded or outside the start and end time; jitter stays within its bound and below the next nominal time, and
 * is the same every time it is computed; and, where Temporal's search has no DST quirk (UTC and zones west of it,
 * see {@link CompiledCalendar}), the next time is the same from every instant before it.
 */
class ScheduleSpecPropertyTest {

    private static final List<String> ZONES = List.of("UTC", "America/New_York", "US/Pacific", "Europe/Berlin",
            "Australia/Lord_Howe", "America/Havana", "Asia/Kolkata", "Pacific/Apia");
    /** Zones whose times are the same from every instant before them in Temporal's search. */
    private static final List<String> STABLE_ZONES = List.of("UTC", "America/New_York", "US/Pacific", "Asia/Kolkata");
    private static final List<String> CRONS = List.of("@daily", "@hourly", "@weekly", "*/20 1-3 * * *",
            "30 2 * * *", "0 0 29 2 *", "15 10 * * mon-fri", "*/7 * * * * *", "@every 90m/7m", "0 0 31 * *",
            "0 */6 * * sat,sun");
    private static final int SPECS = 400;

    @Test
    void timesIncreaseMatchListingsAndKeepBoundsExclusionsAndJitter() {
        for (int i = 0; i < SPECS; i++) {
            long seed = 1000L + i;
            Random random = new Random(seed);
            ScheduleSpec spec = randomSpec(random, ZONES);
            CompiledSpec compiled = CompiledSpec.compile(spec);
            CompiledSpec again = CompiledSpec.compile(spec);
            String jitterSeed = random.nextBoolean() ? "" : "ns-" + seed;
            Instant start = Instant.parse("2021-01-01T00:00:00Z").plusSeconds(random.nextInt(5 * 365 * 86_400))
                    .plusMillis(random.nextInt(1000));
            String context = "seed " + seed + " spec " + spec + " from " + start;

            List<Instant> iterated = new ArrayList<>();
            Instant t = start;
            Instant previousNominal = null;
            for (int n = 0; n < 25; n++) {
                Optional<ScheduledTime> next = compiled.nextTime(jitterSeed, t);
                if (next.isEmpty()) {
                    break;
                }
                ScheduledTime time = next.get();
                assertTrue(time.nominal().isAfter(t), context + ": " + time + " after " + t);
                assertTrue(time.actual().isAfter(t), context + ": " + time + " after " + t);
                if (previousNominal != null) {
                    assertTrue(time.nominal().isAfter(previousNominal), context + ": nominal times increase");
                }
                assertWithinBoundsAndNotExcluded(spec, time, context);
                assertJitterBounded(spec, compiled, jitterSeed, time, context);
                assertEquals(next, again.nextTime(jitterSeed, t), context + ": the same every time");
                iterated.add(time.actual());
                previousNominal = time.nominal();
                t = time.actual();
            }
            Instant end = iterated.isEmpty() ? start.plusSeconds(86_400) : iterated.get(iterated.size() - 1);
            assertEquals(iterated, compiled.matchingTimes(jitterSeed, start, end), context + ": matching times");
        }
    }

    @Test
    void nextTimeIsTheSameFromEveryInstantBeforeIt() {
        for (int i = 0; i < SPECS; i++) {
            long seed = 5000L + i;
            Random random = new Random(seed);
            ScheduleSpec spec = randomSpec(random, STABLE_ZONES);
            CompiledSpec compiled = CompiledSpec.compile(spec);
            Instant t = Instant.parse("2021-01-01T00:00:00Z").plusSeconds(random.nextInt(5 * 365 * 86_400));
            for (int n = 0; n < 5; n++) {
                Optional<ScheduledTime> next = compiled.nextTime("", t);
                if (next.isEmpty()) {
                    break;
                }
                Instant nominal = next.get().nominal();
                long gap = nominal.getEpochSecond() - t.getEpochSecond();
                for (int k = 0; k < 50 && gap > 0; k++) {
                    Instant between = t.plusSeconds(Math.floorMod(random.nextLong(), gap));
                    assertEquals(nominal, compiled.nextTime("", between).orElseThrow().nominal(),
                            "seed " + seed + " spec " + spec + " from " + between + " (first from " + t + ")");
                }
                t = nominal;
            }
        }
    }

    private static void assertWithinBoundsAndNotExcluded(ScheduleSpec spec, ScheduledTime time, String context) {
        if (spec.hasStartTime()) {
            // to the second: a start time of 12:00:00.456 lets 12:00:00 through, as in Temporal
            assertFalse(time.nominal().isBefore(startOf(spec).minusNanos(startOf(spec).getNano())), context);
        }
        if (spec.hasEndTime()) {
            assertFalse(time.nominal().isAfter(Instant.ofEpochSecond(spec.getEndTime().getSeconds(),
                    spec.getEndTime().getNanos())), context);
        }
        ZoneClock clock = new ZoneClock(ZoneId.of(spec.getTimezoneName()));
        for (StructuredCalendarSpec exclusion : SpecCanonicalizer.canonicalize(spec).getExcludeStructuredCalendarList()) {
            assertFalse(new CompiledCalendar(exclusion, clock).matches(time.nominal().getEpochSecond()),
                    context + ": " + time + " excluded");
        }
    }

    private static void assertJitterBounded(ScheduleSpec spec, CompiledSpec compiled, String jitterSeed,
                                            ScheduledTime time, String context) {
        long jitterMillis = time.actual().toEpochMilli() - time.nominal().toEpochMilli();
        assertTrue(jitterMillis >= 0, context);
        assertTrue(jitterMillis <= spec.getJitter().getSeconds() * 1000 + spec.getJitter().getNanos() / 1_000_000,
                context + ": jitter " + jitterMillis + " ms");
        // below the next nominal time (exclusions aside), so jittered times never swap
        if (jitterMillis > 0) {
            ScheduleSpec unbounded = spec.toBuilder().clearExcludeCalendar().clearExcludeStructuredCalendar()
                    .clearEndTime().build();
            Optional<ScheduledTime> following = CompiledSpec.compile(unbounded).nextTime(jitterSeed, time.nominal());
            following.ifPresent(f -> assertTrue(time.actual().isBefore(f.nominal()), context + ": " + time
                    + " jittered past " + f.nominal()));
        }
    }

    private static Instant startOf(ScheduleSpec spec) {
        return Instant.ofEpochSecond(spec.getStartTime().getSeconds(), spec.getStartTime().getNanos());
    }

    private static ScheduleSpec randomSpec(Random random, List<String> zones) {
        ScheduleSpec.Builder spec = ScheduleSpec.newBuilder().setTimezoneName(zones.get(random.nextInt(zones.size())));
        if (random.nextInt(3) == 0) {
            spec.addCronString(CRONS.get(random.nextInt(CRONS.size())));
        }
        if (random.nextInt(2) == 0) {
            spec.addStructuredCalendar(StructuredCalendarSpec.newBuilder()
                    .addAllSecond(random.nextInt(4) == 0 ? ranges(random, 0, 59) : List.of(Range.getDefaultInstance()))
                    .addAllMinute(ranges(random, 0, 59)).addAllHour(ranges(random, 0, 23))
                    .addAllDayOfMonth(random.nextBoolean() ? List.of(range(1, 31, 1)) : ranges(random, 1, 31))
                    .addAllMonth(random.nextBoolean() ? List.of(range(1, 12, 1)) : ranges(random, 1, 12))
                    .addAllDayOfWeek(random.nextBoolean() ? List.of(range(0, 6, 1)) : ranges(random, 0, 6))
                    .addAllYear(random.nextInt(4) == 0 ? ranges(random, 2021, 2030) : List.of()));
        }
        if (random.nextInt(3) == 0 || spec.getCronStringCount() + spec.getStructuredCalendarCount() == 0) {
            long every = 1 + random.nextInt(random.nextBoolean() ? 600 : 200_000);
            spec.addInterval(interval(every, random.nextBoolean() ? 0 : random.nextLong(every)));
        }
        if (random.nextInt(3) == 0) {
            spec.addExcludeCalendar(CalendarSpec.newBuilder().setSecond("*").setMinute("*")
                    .setHour(List.of("12-14", "1-3", "0", "9-17").get(random.nextInt(4)))
                    .setDayOfWeek(List.of("", "sat,sun", "mon").get(random.nextInt(3))));
        }
        Instant base = Instant.parse("2021-01-01T00:00:00Z").plusSeconds(random.nextInt(5 * 365 * 86_400));
        if (random.nextInt(4) == 0) {
            spec.setStartTime(ScheduleSpecTest.timestamp(base.plusMillis(random.nextInt(1000)).toString()));
        }
        if (random.nextInt(4) == 0) {
            spec.setEndTime(ScheduleSpecTest.timestamp(base.plusSeconds(random.nextInt(30 * 86_400)).toString()));
        }
        if (random.nextBoolean()) {
            spec.setJitter(seconds(random.nextInt(7200)));
        }
        return spec.build();
    }

    private static List<Range> ranges(Random random, int min, int max) {
        List<Range> ranges = new ArrayList<>();
        for (int n = 1 + random.nextInt(3); n > 0; n--) {
            int start = min + random.nextInt(max - min + 1);
            int end = random.nextBoolean() ? start : start + random.nextInt(max - start + 1);
            ranges.add(range(start, end, random.nextInt(3) == 0 ? 1 + random.nextInt(5) : 0));
        }
        return ranges;
    }

    private static Range range(int start, int end, int step) {
        return Range.newBuilder().setStart(start).setEnd(end).setStep(step).build();
    }
}
