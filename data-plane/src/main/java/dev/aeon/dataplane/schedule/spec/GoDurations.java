package dev.aeon.dataplane.schedule.spec;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations the way Temporal's server reads them: {@code @every} takes Go's {@code time.ParseDuration} syntax plus a
 * {@code d} unit of 24 hours, and proto durations become Go's int64 nanoseconds (saturating). Parsing works on the
 * UTF-8 bytes, as Go does, so the accepted forms and the error words are Go's.
 */
final class GoDurations {

    private static final Pattern DAYS = Pattern.compile("(\\d+(\\.\\d*)?|(\\.\\d+))d");
    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    /** 1 << 63 as an unsigned value. */
    private static final long TWO_TO_63 = Long.MIN_VALUE;

    private GoDurations() {
    }

    /** Temporal's {@code timestamp.ParseDuration}: each {@code <number>d} becomes {@code <24 × number>h} first. */
    static long parseNanos(String text) {
        Matcher days = DAYS.matcher(text);
        StringBuilder replaced = new StringBuilder();
        while (days.find()) {
            String number = days.group().substring(0, days.group().length() - 1);
            days.appendReplacement(replaced,
                    Matcher.quoteReplacement(String.format(Locale.ROOT, "%fh", 24 * Double.parseDouble(number))));
        }
        days.appendTail(replaced);
        return goParseDuration(replaced.toString());
    }

    /** Go's {@code time.ParseDuration}. */
    private static long goParseDuration(String original) {
        byte[] s = original.getBytes(StandardCharsets.UTF_8);
        int i = 0;
        boolean negative = false;
        if (s.length > 0 && (s[0] == '-' || s[0] == '+')) {
            negative = s[0] == '-';
            i++;
        }
        if (s.length - i == 1 && s[i] == '0') {
            return 0;
        }
        if (i == s.length) {
            throw error("invalid duration", original);
        }
        long total = 0; // unsigned, at most 1 << 63
        while (i < s.length) {
            if (!(s[i] == '.' || isDigit(s[i]))) {
                throw error("invalid duration", original);
            }
            int before = i;
            long whole = 0;
            for (; i < s.length && isDigit(s[i]); i++) {
                if (Long.compareUnsigned(whole, Long.divideUnsigned(TWO_TO_63, 10)) > 0) {
                    throw error("invalid duration", original);
                }
                whole = whole * 10 + (s[i] - '0');
                if (Long.compareUnsigned(whole, TWO_TO_63) > 0) {
                    throw error("invalid duration", original);
                }
            }
            boolean hasWhole = i != before;
            boolean hasFraction = false;
            long fraction = 0;
            double scale = 1;
            if (i < s.length && s[i] == '.') {
                i++;
                int fractionStart = i;
                boolean overflow = false;
                for (; i < s.length && isDigit(s[i]); i++) {
                    if (overflow) {
                        continue;
                    }
                    if (Long.compareUnsigned(fraction, Long.MAX_VALUE / 10) > 0) {
                        overflow = true;
                        continue;
                    }
                    long next = fraction * 10 + (s[i] - '0');
                    if (Long.compareUnsigned(next, TWO_TO_63) > 0) {
                        overflow = true;
                        continue;
                    }
                    fraction = next;
                    scale *= 10;
                }
                hasFraction = i != fractionStart;
            }
            if (!hasWhole && !hasFraction) {
                throw error("invalid duration", original);
            }
            int unitStart = i;
            while (i < s.length && !(s[i] == '.' || isDigit(s[i]))) {
                i++;
            }
            if (i == unitStart) {
                throw error("missing unit in duration", original);
            }
            String unitName = new String(s, unitStart, i - unitStart, StandardCharsets.UTF_8);
            long unit = unitNanos(unitName);
            if (unit == 0) {
                throw error("unknown unit " + quote(unitName) + " in duration", original);
            }
            if (Long.compareUnsigned(whole, Long.divideUnsigned(TWO_TO_63, unit)) > 0) {
                throw error("invalid duration", original);
            }
            whole *= unit;
            if (fraction > 0) {
                whole += (long) (fraction * ((double) unit / scale));
                if (Long.compareUnsigned(whole, TWO_TO_63) > 0) {
                    throw error("invalid duration", original);
                }
            }
            total += whole;
            if (Long.compareUnsigned(total, TWO_TO_63) > 0) {
                throw error("invalid duration", original);
            }
        }
        if (negative) {
            return -total;
        }
        if (total < 0) { // 1 << 63 does not fit a positive duration
            throw error("invalid duration", original);
        }
        return total;
    }

    private static long unitNanos(String unit) {
        return switch (unit) {
            case "ns" -> 1;
            case "us", "\u00b5s", "\u03bcs" -> 1_000;
            case "ms" -> 1_000_000;
            case "s" -> NANOS_PER_SECOND;
            case "m" -> 60 * NANOS_PER_SECOND;
            case "h" -> 3600 * NANOS_PER_SECOND;
            default -> 0;
        };
    }

    /** A proto duration as Go's {@code AsDuration} reads it: nanoseconds, saturating at the int64 bounds. */
    static long nanos(com.google.protobuf.Duration duration) {
        long seconds = duration.getSeconds();
        if (seconds > Long.MAX_VALUE / NANOS_PER_SECOND) {
            return Long.MAX_VALUE;
        }
        if (seconds < Long.MIN_VALUE / NANOS_PER_SECOND) {
            return Long.MIN_VALUE;
        }
        long nanos = seconds * NANOS_PER_SECOND;
        long sum = nanos + duration.getNanos();
        if (((nanos ^ sum) & (duration.getNanos() ^ sum)) < 0) {
            return duration.getNanos() < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
        return sum;
    }

    static com.google.protobuf.Duration toProto(long nanos) {
        return com.google.protobuf.Duration.newBuilder().setSeconds(nanos / NANOS_PER_SECOND)
                .setNanos((int) (nanos % NANOS_PER_SECOND)).build();
    }

    private static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }

    private static InvalidScheduleSpecException error(String message, String value) {
        return new InvalidScheduleSpecException("time: " + message + " " + quote(value));
    }

    /** Go's quoting in these messages: {@code "} and {@code \} escaped, other non-printable bytes as {@code \xNN}. */
    static String quote(String value) {
        StringBuilder out = new StringBuilder("\"");
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c >= 0x80 || c < ' ') {
                out.append(String.format(Locale.ROOT, "\\x%02x", c));
            } else {
                if (c == '"' || c == '\\') {
                    out.append('\\');
                }
                out.append((char) c);
            }
        }
        return out.append('"').toString();
    }
}
