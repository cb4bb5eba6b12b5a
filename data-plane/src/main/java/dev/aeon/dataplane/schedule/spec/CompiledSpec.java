package dev.aeon.dataplane.schedule.spec;

import io.temporal.api.schedule.v1.IntervalSpec;
import io.temporal.api.schedule.v1.ScheduleSpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A schedule spec ready to answer "when next?", with Temporal's server's answers (its {@code CompiledSpec}): the
 * union of its calendars and intervals, minus exclusions, within start and end time, each time pushed later by a
 * jitter that depends only on the time and a seed. Immutable; safe to share.
 *
 * <p>Times have one-second resolution: calendars and intervals match whole seconds; jitter adds whole
 * milliseconds.
 */
public final class CompiledSpec {

    /** Temporal's {@code maxListMatchingTimesCount}: ListScheduleMatchingTimes answers at most this many. */
    public static final int MAX_MATCHING_TIMES = 1000;
    /**
     * How many excluded candidates one search skips before giving up. Temporal searches on to 2100 (its newer
     * servers can be configured with a bound); a bound keeps one spec from holding a thread for minutes. A month of
     * seconds: an every-second schedule may exclude a whole month (a few seconds of search).
     */
    static final int MAX_EXCLUDED_CANDIDATES = 31 * 24 * 60 * 60;
    /** Go's zero-based seconds from year 1 to the Unix epoch, as its binary time encoding counts them. */
    private static final long UNIX_TO_GO_INTERNAL = 62_135_596_800L;
    private static final long NANOS_PER_MILLI = 1_000_000L;

    /** The IANA names java.time knows; ZoneId.of alone would also take offsets like "+02:00", which Go refuses. */
    private static final Set<String> ZONE_NAMES = ZoneId.getAvailableZoneIds();
    /** Names in the tz database (links since 2024b) that java.time keeps only as offset abbreviations. */
    private static final Map<String, String> ZONE_LINKS = Map.of("EST", "America/Panama", "MST", "America/Phoenix",
            "HST", "Pacific/Honolulu", "GMT+0", "Etc/GMT", "GMT-0", "Etc/GMT");

    private final ScheduleSpec canonical;
    private final List<CompiledCalendar> calendars;
    private final List<CompiledCalendar> exclusions;
    private final long[] intervalSeconds;
    private final long[] phaseSeconds;
    private final Instant startTime;
    private final Instant endTime;
    private final long jitterNanos;

    private CompiledSpec(ScheduleSpec canonical, ZoneClock clock) {
        this.canonical = canonical;
        this.calendars = canonical.getStructuredCalendarList().stream().map(c -> new CompiledCalendar(c, clock))
                .toList();
        this.exclusions = canonical.getExcludeStructuredCalendarList().stream()
                .map(c -> new CompiledCalendar(c, clock)).toList();
        List<IntervalSpec> intervals = canonical.getIntervalList();
        this.intervalSeconds = new long[intervals.size()];
        this.phaseSeconds = new long[intervals.size()];
        for (int i = 0; i < intervals.size(); i++) {
            intervalSeconds[i] = Math.max(GoDurations.nanos(intervals.get(i).getInterval()) / 1_000_000_000L, 1);
            phaseSeconds[i] = Math.max(GoDurations.nanos(intervals.get(i).getPhase()) / 1_000_000_000L, 0);
        }
        // an unset start time reads as the Unix epoch, as Go's AsTime reads a nil timestamp
        this.startTime = instant(canonical.getStartTime());
        this.endTime = canonical.hasEndTime() ? instant(canonical.getEndTime()) : null;
        this.jitterNanos = GoDurations.nanos(canonical.getJitter());
    }

    /**
     * Compiles a spec as CreateSchedule receives it.
     *
     * @throws InvalidScheduleSpecException with Temporal's reason if its server would refuse the spec
     */
    public static CompiledSpec compile(ScheduleSpec spec) {
        ScheduleSpec canonical = SpecCanonicalizer.canonicalize(spec);
        return new CompiledSpec(canonical, new ZoneClock(zone(canonical)));
    }

    /** The seed Temporal jitters a schedule's times with: its namespace id and schedule id. */
    public static String jitterSeed(String namespaceId, String scheduleId) {
        return namespaceId + "-" + scheduleId;
    }

    /** The spec as DescribeSchedule shows it ({@link SpecCanonicalizer#canonical}). */
    public ScheduleSpec canonicalForm() {
        return SpecCanonicalizer.withDefaultsFilled(canonical);
    }

    /**
     * The schedule's first time strictly after {@code after} (or at its start time, if {@code after} is before
     * it): the nominal time and the actual time, the nominal one plus jitter. Empty when no time is left (past
     * the end time, or after 2100).
     *
     * @throws InvalidScheduleSpecException if exclusions hide more than a month of per-second candidates in a row
     */
    public Optional<ScheduledTime> nextTime(String jitterSeed, Instant after) {
        Instant from = after.isBefore(startTime.minusSeconds(1)) ? startTime.minusSeconds(1) : after;
        long nominal = CompiledCalendar.NONE;
        long cursor = from.getEpochSecond();
        for (int candidates = 0; nominal == CompiledCalendar.NONE || excluded(nominal); candidates++) {
            if (candidates >= MAX_EXCLUDED_CANDIDATES) {
                // Temporal's words for its own limit (ErrScheduleSpecLimitHit)
                throw new InvalidScheduleSpecException("the schedule calendar specification has too many "
                        + "exclusions. Please modify the specification.");
            }
            nominal = rawNext(cursor);
            cursor = nominal;
            if (nominal == CompiledCalendar.NONE || pastEnd(nominal)) {
                return Optional.empty();
            }
        }
        long maxJitter = jitterNanos;
        long following = rawNext(nominal);
        if (following != CompiledCalendar.NONE && following - nominal < Long.MAX_VALUE / 1_000_000_000L) {
            // jitter never pushes a time past the next nominal one
            maxJitter = Math.min(maxJitter, (following - nominal) * 1_000_000_000L);
        }
        Instant nominalTime = Instant.ofEpochSecond(nominal);
        return Optional.of(new ScheduledTime(nominalTime, nominalTime.plusMillis(jitterMillis(jitterSeed, nominal,
                maxJitter))));
    }

    /**
     * ListScheduleMatchingTimes: the actual times in (start, end], each found from the one before it, at most
     * {@link #MAX_MATCHING_TIMES}.
     *
     * @throws InvalidScheduleSpecException as {@link #nextTime} does
     */
    public List<Instant> matchingTimes(String jitterSeed, Instant start, Instant end) {
        List<Instant> times = new ArrayList<>();
        Instant t = start;
        while (times.size() < MAX_MATCHING_TIMES) {
            Optional<ScheduledTime> next = nextTime(jitterSeed, t);
            if (next.isEmpty() || next.get().actual().isAfter(end)) {
                break;
            }
            t = next.get().actual();
            times.add(t);
        }
        return times;
    }

    /** The earliest calendar or interval time after {@code after}, ignoring exclusions and bounds. */
    private long rawNext(long after) {
        long next = CompiledCalendar.NONE;
        for (CompiledCalendar calendar : calendars) {
            next = Math.min(next, calendar.next(after));
        }
        for (int i = 0; i < intervalSeconds.length; i++) {
            // Temporal's arithmetic, truncating division included: epoch + n × interval + phase
            long n = (after - phaseSeconds[i]) / intervalSeconds[i] + 1;
            next = Math.min(next, n * intervalSeconds[i] + phaseSeconds[i]);
        }
        return next;
    }

    private boolean excluded(long epochSecond) {
        for (CompiledCalendar exclusion : exclusions) {
            if (exclusion.matches(epochSecond)) {
                return true;
            }
        }
        return false;
    }

    private boolean pastEnd(long epochSecond) {
        Instant t = Instant.ofEpochSecond(epochSecond);
        return endTime != null && t.isAfter(endTime)
                || t.atOffset(ZoneOffset.UTC).getYear() > CompiledCalendar.MAX_YEAR;
    }

    /**
     * Temporal's {@code addJitter}: the 32-bit FarmHash fingerprint of the nominal time (Go's binary encoding of a
     * UTC time) followed by the seed, scaled to [0, maxJitter) milliseconds. The same time and seed always get the
     * same jitter.
     */
    static long jitterMillis(String seed, long nominalEpochSecond, long maxJitterNanos) {
        long maxMillis = Math.min(Math.max(maxJitterNanos, 0) / NANOS_PER_MILLI, 0xffff_ffffL);
        byte[] seedBytes = seed.getBytes(StandardCharsets.UTF_8);
        ByteBuffer encoded = ByteBuffer.allocate(15 + seedBytes.length)
                .put((byte) 1) // Go's timeBinaryVersionV1
                .putLong(nominalEpochSecond + UNIX_TO_GO_INTERNAL)
                .putInt(0) // nanoseconds
                .putShort((short) -1) // UTC
                .put(seedBytes);
        long fingerprint = Integer.toUnsignedLong(Fingerprint32.of(encoded.array()));
        return (fingerprint * maxMillis) >>> 32;
    }

    /**
     * The spec's zone as Go's {@code time.LoadLocation} finds it: empty or {@code UTC} is UTC, {@code Local} the
     * server's zone (UTC here, as in Temporal's containers), otherwise an IANA zone name.
     */
    static ZoneId zone(ScheduleSpec spec) {
        if (!spec.getTimezoneData().isEmpty()) {
            throw new InvalidScheduleSpecException("timezone_data is not supported: Aeon loads time zones by name; "
                    + "set timezone_name to an IANA time zone instead");
        }
        String name = spec.getTimezoneName();
        if (name.isEmpty() || name.equals("UTC") || name.equals("Local")) {
            return ZoneOffset.UTC;
        }
        String region = ZONE_LINKS.getOrDefault(name, name);
        if (!ZONE_NAMES.contains(region)) {
            throw new InvalidScheduleSpecException("unknown time zone " + name);
        }
        try {
            return ZoneId.of(region);
        } catch (DateTimeException e) {
            throw new InvalidScheduleSpecException("unknown time zone " + name);
        }
    }

    private static Instant instant(com.google.protobuf.Timestamp t) {
        return Instant.ofEpochSecond(t.getSeconds(), t.getNanos());
    }
}
