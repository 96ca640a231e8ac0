package io.steward.agent.config;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations ({@code 500ms}, {@code 5s}, {@code 1.5m}, {@code 24h}, {@code 7d}; a bare number is seconds) and sizes
 * ({@code 100MB}, {@code 512KB}, {@code 2GiB}; binary multiples, so {@code 1MB} is 1,048,576 bytes; a bare number is
 * bytes) as written on the command line and in the config file.
 */
public final class Quantities {
    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h|d)?");
    private static final Pattern SIZE =
            Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(b|k|kb|kib|m|mb|mib|g|gb|gib|t|tb|tib)?");

    private Quantities() {}

    /** Parses a duration; the message of the exception says what is accepted. */
    public static Duration parseDuration(String text) {
        Matcher matcher = DURATION.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!matcher.matches()) {
            throw new IllegalArgumentException("is not a duration (use e.g. 500ms, 5s, 2m, 24h, 7d)");
        }
        BigDecimal amount = new BigDecimal(matcher.group(1));
        String unit = matcher.group(2) == null ? "s" : matcher.group(2);
        long millisPerUnit = switch (unit) {
            case "ms" -> 1;
            case "s" -> 1000;
            case "m" -> 60_000;
            case "h" -> 3_600_000;
            case "d" -> 86_400_000;
            default -> throw new IllegalStateException("unit " + unit);
        };
        try {
            return Duration.ofMillis(amount.multiply(BigDecimal.valueOf(millisPerUnit)).longValueExact());
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("is too large or finer than a millisecond");
        }
    }

    /** Parses a size in bytes. */
    public static long parseSize(String text) {
        Matcher matcher = SIZE.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!matcher.matches()) {
            throw new IllegalArgumentException("is not a size (use e.g. 512KB, 100MB, 2GB)");
        }
        BigDecimal amount = new BigDecimal(matcher.group(1));
        String unit = matcher.group(2) == null ? "b" : matcher.group(2);
        int shift = switch (unit.charAt(0)) {
            case 'b' -> 0;
            case 'k' -> 10;
            case 'm' -> 20;
            case 'g' -> 30;
            case 't' -> 40;
            default -> throw new IllegalStateException("unit " + unit);
        };
        try {
            return amount.multiply(BigDecimal.valueOf(1L << shift)).setScale(0, java.math.RoundingMode.DOWN)
                    .longValueExact();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("is too large");
        }
    }
}
