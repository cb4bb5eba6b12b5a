package dev.aeon.auth.certs;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Validity periods written as {@code tcld} writes them: {@code 365d}, {@code 30d12h}, {@code 90m}. */
public final class ValidityPeriod {

    private static final Pattern WHOLE = Pattern.compile("(\\d+[dhms])+");
    private static final Pattern PART = Pattern.compile("(\\d+)([dhms])");

    private ValidityPeriod() {
    }

    public static Duration parse(String text) {
        String value = text == null ? "" : text.trim();
        if (!WHOLE.matcher(value).matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a period such as 365d, 30d12h or 90m");
        }
        Duration total = Duration.ZERO;
        Matcher part = PART.matcher(value);
        while (part.find()) {
            long amount = Long.parseLong(part.group(1));
            total = total.plus(switch (part.group(2)) {
                case "d" -> Duration.ofDays(amount);
                case "h" -> Duration.ofHours(amount);
                case "m" -> Duration.ofMinutes(amount);
                default -> Duration.ofSeconds(amount);
            });
        }
        if (total.isZero()) {
            throw new IllegalArgumentException("'" + text + "' is an empty period");
        }
        return total;
    }
}
