package dev.aeon.dataplane.schedule.spec;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** The few Go string functions whose exact behaviour decides what a cron string or calendar field means. */
final class GoStrings {

    private static final Pattern DECIMAL = Pattern.compile("[+-]?[0-9]+");

    private GoStrings() {
    }

    /** Go's {@code unicode.IsSpace}. */
    static boolean isSpace(int c) {
        return switch (c) {
            case '\t', '\n', 0x0B, '\f', '\r', ' ', 0x85, 0xA0 -> true;
            default -> c > 0xff && Character.isSpaceChar(c);
        };
    }

    static String trimSpace(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && isSpace(s.codePointAt(start))) {
            start += Character.charCount(s.codePointAt(start));
        }
        while (end > start && isSpace(s.codePointBefore(end))) {
            end -= Character.charCount(s.codePointBefore(end));
        }
        return s.substring(start, end);
    }

    /** Go's {@code strings.Fields}: the runs of non-space characters. */
    static List<String> fields(String s) {
        List<String> fields = new ArrayList<>();
        int i = 0;
        while (i < s.length()) {
            while (i < s.length() && isSpace(s.codePointAt(i))) {
                i += Character.charCount(s.codePointAt(i));
            }
            int start = i;
            while (i < s.length() && !isSpace(s.codePointAt(i))) {
                i += Character.charCount(s.codePointAt(i));
            }
            if (i > start) {
                fields.add(s.substring(start, i));
            }
        }
        return fields;
    }

    /** Go's {@code strconv.Atoi} on a 64-bit platform, with its error words. */
    static long atoi(String s) {
        if (!DECIMAL.matcher(s).matches()) {
            throw new InvalidScheduleSpecException("strconv.Atoi: parsing " + GoDurations.quote(s) + ": invalid syntax");
        }
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new InvalidScheduleSpecException(
                    "strconv.Atoi: parsing " + GoDurations.quote(s) + ": value out of range");
        }
    }

    static int byteLength(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}
