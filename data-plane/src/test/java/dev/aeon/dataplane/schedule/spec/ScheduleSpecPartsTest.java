package dev.aeon.dataplane.schedule.spec;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The Go behaviours Temporal's schedules inherit, each against Go's own documented or tested values. */
class ScheduleSpecPartsTest {

    // test vectors of github.com/dgryski/go-farm farmhash_test.go (the Fingerprint32 Temporal calls) for 0-4, 5-12
    // and 13-24 bytes; the two longer ones computed with that Fingerprint32 (Go 1.26)
    @Test
    void fingerprint32MatchesFarmHash() {
        assertEquals(0xdc56d17a, Fingerprint32.of(bytes("")));
        assertEquals(0x3c973d4d, Fingerprint32.of(bytes("a")));
        assertEquals(0x98b51e95, Fingerprint32.of(bytes("abcd")));
        assertEquals(0xa3f366ac, Fingerprint32.of(bytes("abcde")));
        assertEquals(0x9741ca1a, Fingerprint32.of(bytes("0123456789")));
        assertEquals(0x0d92cafb, Fingerprint32.of(bytes("0123456789~01")));
        assertEquals(0xa9785062, Fingerprint32.of(bytes("0123456789+0123456")));
        assertEquals(0xdf9fff84, Fingerprint32.of(bytes("0123456789~012345678901234")));
        assertEquals(0x9a159fa8, Fingerprint32.of(bytes("the quick brown fox jumps over the lazy dog, twice over")));
    }

    // Go's time.ParseDuration plus Temporal's "d" (timestamp.ParseDuration)
    @Test
    void durationsAsGoAndTemporalParseThem() {
        assertEquals(5 * 86_400_000_000_000L, GoDurations.parseNanos("5d"));
        assertEquals(36 * 3_600_000_000_000L, GoDurations.parseNanos("1.5d"));
        assertEquals(5_400_000_000_000L, GoDurations.parseNanos("1h30m"));
        assertEquals(5_400_000_000_000L, GoDurations.parseNanos("1.5h"));
        assertEquals(1_500_000L, GoDurations.parseNanos("1.5ms"));
        assertEquals(1_000L, GoDurations.parseNanos("1\u00b5s"));
        assertEquals(-90_000_000_000L, GoDurations.parseNanos("-1m30s"));
        assertEquals(0, GoDurations.parseNanos("0"));
        assertEquals(Long.MAX_VALUE, GoDurations.parseNanos("9223372036854775807ns"));
        assertParseError("time: invalid duration \"9223372036854775808ns\"", "9223372036854775808ns");
        assertParseError("time: invalid duration \"\"", "");
        assertParseError("time: invalid duration \".s\"", ".s");
        assertParseError("time: missing unit in duration \"10\"", "10");
        assertParseError("time: unknown unit \"w\" in duration \"1w\"", "1w");
        assertParseError("time: invalid duration \" 120.000000h\"", " 5d");
    }

    private static void assertParseError(String message, String text) {
        assertEquals(message, assertThrows(InvalidScheduleSpecException.class, () -> GoDurations.parseNanos(text))
                .getMessage());
    }

    // Go's time.Date on wall times DST skips or repeats; calendar_test.go TestGoDSTBehavior shows the first
    @Test
    void wallTimesConvertAsGoConvertsThem() {
        ZoneClock pacific = new ZoneClock(ZoneId.of("US/Pacific"));
        // 2:33:33 on March 13 2022 does not exist: Go reads it as 1:33:33 PST, with the offset after the jump
        assertEquals(Instant.parse("2022-03-13T09:33:33Z").getEpochSecond(), pacific.epochSecond(2022, 3, 13, 2, 33, 33));
        // 1:33:33 on November 6 2022 happens twice: Go takes the first (PDT) west of UTC
        assertEquals(Instant.parse("2022-11-06T08:33:33Z").getEpochSecond(), pacific.epochSecond(2022, 11, 6, 1, 33, 33));
        ZoneClock berlin = new ZoneClock(ZoneId.of("Europe/Berlin"));
        // east of UTC: 2:30 on March 27 2022 reads as 3:30 CEST, and 2:30 on October 30 2022 is the second (CET)
        assertEquals(Instant.parse("2022-03-27T01:30:00Z").getEpochSecond(), berlin.epochSecond(2022, 3, 27, 2, 30, 0));
        assertEquals(Instant.parse("2022-10-30T01:30:00Z").getEpochSecond(), berlin.epochSecond(2022, 10, 30, 2, 30, 0));
        // hour 24 is the next day's midnight
        assertEquals(Instant.parse("2022-03-01T00:00:00Z").getEpochSecond(),
                ZoneClock.UTC.epochSecond(2022, 2, 28, 24, 0, 0));
    }

    @Test
    void cronFieldsSplitOnAnyGoSpace() {
        assertEquals(CronStrings.parse("0 12 * * mon").calendar(),
                CronStrings.parse("\t0\u00a012  *\n* mon\u2003").calendar());
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
