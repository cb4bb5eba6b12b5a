package dev.aeon.dataplane.schedule.spec;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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
            throw new InvalidScheduleSpecException("strconv.Atoi: parsing " + quote(s) + ": invalid syntax");
        }
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new InvalidScheduleSpecException(
                    "strconv.Atoi: parsing " + quote(s) + ": value out of range");
        }
    }

    /** Go's {@code strconv.Quote}: printable characters as they are, the others escaped. */
    static String quote(String s) {
        StringBuilder out = new StringBuilder("\"");
        s.codePoints().forEach(c -> {
            switch (c) {
                case '"', '\\' -> out.append('\\').appendCodePoint(c);
                case 0x07 -> out.append("\\a");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case 0x0B -> out.append("\\v");
                default -> {
                    if (isPrint(c)) {
                        out.appendCodePoint(c);
                    } else if (c < ' ' || c == 0x7f) {
                        out.append(String.format(Locale.ROOT, "\\x%02x", c));
                    } else if (c < 0x10000) {
                        out.append(String.format(Locale.ROOT, "\\u%04x", c));
                    } else {
                        out.append(String.format(Locale.ROOT, "\\U%08x", c));
                    }
                }
            }
        });
        return out.append('"').toString();
    }

    /** Go's {@code strconv.IsPrint}: letters, marks, numbers, punctuation, symbols and the ASCII space. */
    private static boolean isPrint(int c) {
        if (c == ' ') {
            return true;
        }
        return switch (Character.getType(c)) {
            case Character.UPPERCASE_LETTER, Character.LOWERCASE_LETTER, Character.TITLECASE_LETTER,
                    Character.MODIFIER_LETTER, Character.OTHER_LETTER, Character.NON_SPACING_MARK,
                    Character.COMBINING_SPACING_MARK, Character.ENCLOSING_MARK, Character.DECIMAL_DIGIT_NUMBER,
                    Character.LETTER_NUMBER, Character.OTHER_NUMBER, Character.CONNECTOR_PUNCTUATION,
                    Character.DASH_PUNCTUATION, Character.START_PUNCTUATION, Character.END_PUNCTUATION,
                    Character.INITIAL_QUOTE_PUNCTUATION, Character.FINAL_QUOTE_PUNCTUATION,
                    Character.OTHER_PUNCTUATION, Character.MATH_SYMBOL, Character.CURRENCY_SYMBOL,
                    Character.MODIFIER_SYMBOL, Character.OTHER_SYMBOL -> true;
            default -> false;
        };
    }

    static int byteLength(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}
