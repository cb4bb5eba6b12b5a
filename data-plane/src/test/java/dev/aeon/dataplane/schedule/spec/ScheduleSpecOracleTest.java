package dev.aeon.dataplane.schedule.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.temporal.api.schedule.v1.ScheduleSpec;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Aeon's answers against Temporal's own: {@code schedule/temporal-oracle.jsonl.gz} holds 3,000 random specs (cron
 * strings, calendars, structured calendars, intervals with phase, exclusions, start and end times, jitter, 15 zones)
 * and 1,500 calendars around the hours of 20 DST moves (east and west of UTC, half-hour and midnight moves, Apia's
 * skipped day) and 1,500 cron strings and calendar fields garbled from random pieces (error words, Unicode spaces,
 * signs, names), each with a starting time, and what Temporal's server v1.31.2 made of each: its error, or its canonical form (as
 * DescribeSchedule shows it) and twelve successive nominal and actual times (each searched from the actual time
 * before it, as ListScheduleMatchingTimes does). {@code src/test/schedule-oracle/} is the Go program that wrote it
 * with Temporal's {@code service/worker/scheduler} package; see its README.
 *
 * <p>It catches what matters: converting wall times with {@code java.time}'s rules instead of Go's makes 137 cases
 * differ, not searching a repeated hour twice 88, leaving the seed out of the jitter 258.
 */
class ScheduleSpecOracleTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void everySpecGetsTemporalsErrorOrCanonicalFormAndTimes() throws IOException {
        List<String> mismatches = new ArrayList<>();
        int cases = 0;
        int withTimes = 0;
        for (String line : oracleLines()) {
            JsonNode expected = JSON.readTree(line);
            cases++;
            String actual = describe(expected);
            String wanted = expectedDescription(expected);
            if (!actual.equals(wanted)) {
                mismatches.add("spec " + expected.get("spec") + " after " + expected.get("after").asText()
                        + " seed \"" + expected.get("seed").asText() + "\"\n  Temporal: " + wanted + "\n  Aeon:     "
                        + actual);
            }
            if (expected.has("times")) {
                withTimes++;
            }
        }
        assertEquals(6000, cases, "oracle cases read");
        assertTrue(withTimes > 3000, "most oracle specs are valid and have times: " + withTimes);
        assertTrue(mismatches.isEmpty(), mismatches.size() + " of " + cases + " differ from Temporal, first ones:\n"
                + String.join("\n", mismatches.subList(0, Math.min(10, mismatches.size()))));
    }

    private static String expectedDescription(JsonNode expected) throws InvalidProtocolBufferException {
        if (expected.has("error")) {
            return "error: " + expected.get("error").asText();
        }
        StringBuilder out = new StringBuilder("canonical: ").append(specFromJson(expected.get("canonical")));
        if (expected.has("times")) {
            for (JsonNode pair : expected.get("times")) {
                out.append(" | ").append(Instant.parse(pair.get(0).asText())).append(" -> ")
                        .append(Instant.parse(pair.get(1).asText()));
            }
        }
        return out.toString();
    }

    private static String describe(JsonNode expected) throws InvalidProtocolBufferException {
        ScheduleSpec spec = specFromJson(expected.get("spec"));
        String seed = expected.get("seed").asText();
        CompiledSpec compiled;
        try {
            compiled = CompiledSpec.compile(spec);
        } catch (InvalidScheduleSpecException e) {
            return "error: " + e.getMessage();
        }
        StringBuilder out = new StringBuilder("canonical: ").append(compiled.canonicalForm());
        Instant t = Instant.parse(expected.get("after").asText());
        for (int i = 0; i < 12; i++) {
            Optional<ScheduledTime> next;
            try {
                next = compiled.nextTime(seed, t);
            } catch (InvalidScheduleSpecException e) {
                return out.append(" | error: ").append(e.getMessage()).toString();
            }
            if (next.isEmpty()) {
                break;
            }
            out.append(" | ").append(next.get().nominal()).append(" -> ").append(next.get().actual());
            t = next.get().actual();
        }
        return out.toString();
    }

    private static ScheduleSpec specFromJson(JsonNode json) throws InvalidProtocolBufferException {
        ScheduleSpec.Builder spec = ScheduleSpec.newBuilder();
        JsonFormat.parser().merge(json.toString(), spec);
        return spec.build();
    }

    private static List<String> oracleLines() throws IOException {
        try (InputStream in = ScheduleSpecOracleTest.class.getResourceAsStream("/schedule/temporal-oracle.jsonl.gz");
             BufferedReader reader = new BufferedReader(
                     new InputStreamReader(new GZIPInputStream(in), StandardCharsets.UTF_8))) {
            return reader.lines().filter(l -> !l.isBlank()).toList();
        }
    }
}
